# Reference values for the control chart, run chart and capability tests.
#
# Run from the repository root:   Rscript tests/stats/reference/control.R
# It writes tests/stats/reference/control_values.json, which the tests read (they never run
# R). Made with R 4.2.2 (Debian r-base-core), base R only: qcc and qicharts2 are not packaged
# in Debian, so their formulas are written out here, each with the function it comes from.
# Nothing here calls ciapp; every number is computed from the definitions.

here <- "tests/stats/reference"
out <- list()

# --- a small JSON writer (base R has none) -------------------------------------------------
to_json <- function(x) {
  if (is.list(x)) {
    if (!is.null(names(x))) {
      items <- mapply(function(k, v) sprintf("\"%s\": %s", k, to_json(v)), names(x), x)
      return(paste0("{", paste(items, collapse = ", "), "}"))
    }
    return(paste0("[", paste(vapply(x, to_json, ""), collapse = ", "), "]"))
  }
  if (is.logical(x)) {
    v <- ifelse(x, "true", "false")
  } else if (is.character(x)) {
    v <- sprintf("\"%s\"", x)
  } else {
    v <- ifelse(is.na(x), "null", sprintf("%.17g", x))
  }
  if (length(x) == 1 && is.null(attr(x, "array"))) v else paste0("[", paste(v, collapse = ", "), "]")
}
vec <- function(x) structure(x, array = TRUE)  # always a JSON list, even of length 1

# --- control chart constants from the density of the range ---------------------------------
# f_R(w) = n (n - 1) int phi(x) phi(x + w) (Phi(x + w) - Phi(x))^(n - 2) dx; d2 = E[R],
# d3 = sd(R). (ciapp integrates the distribution function instead; qcc uses tabled values.)
range_density <- function(w, n) {
  sapply(w, function(wi) n * (n - 1) * integrate(function(x)
    dnorm(x) * dnorm(x + wi) * (pnorm(x + wi) - pnorm(x))^(n - 2),
    -Inf, Inf, rel.tol = 1e-11)$value)
}
range_moment <- function(n, k) integrate(function(w) w^k * range_density(w, n), 0, Inf,
                                         rel.tol = 1e-10)$value
D2 <- sapply(2:6, function(n) range_moment(n, 1))
D3 <- sqrt(sapply(2:6, function(n) range_moment(n, 2)) - D2^2)
# n = 2 in closed form (R = |Z1 - Z2|, Z1 - Z2 ~ N(0, 2)): the integrals agree to 1e-12
stopifnot(abs(D2[1] - 2 / sqrt(pi)) < 1e-11, abs(D3[1] - sqrt(2 - 4 / pi)) < 1e-11)
D2[1] <- 2 / sqrt(pi)
D3[1] <- sqrt(2 - 4 / pi)
d2 <- function(n) D2[n - 1]
d3 <- function(n) D3[n - 1]
c4 <- function(n) sqrt(2 / (n - 1)) * exp(lgamma(n / 2) - lgamma((n - 1) / 2))
out$constants <- list(n = vec(2:6), d2 = vec(D2), d3 = vec(D3))

# --- Xbar and S charts with unequal subgroup sizes (qcc's sd.xbar / sd.S) --------------------
# qcc ?qcc "variable control limits": pistonrings trial samples less 12 observations.
piston <- as.matrix(read.table("tests/stats/data/pistonrings_trial.txt", comment.char = "#"))
flat <- as.vector(t(piston))
flat[c(9, 10, 30, 35, 45, 64, 65, 74, 75, 85, 99, 100)] <- NA
groups <- split(flat, rep(1:25, each = 5))
groups <- lapply(groups, function(g) g[!is.na(g)])
n <- sapply(groups, length)
xbar <- sapply(groups, mean)
r <- sapply(groups, function(g) diff(range(g)))
s <- sapply(groups, sd)
# qcc sd.xbar(method = "UWAVE-R"): sum(f R / d2) / sum(f), f = d2^2 / d3^2
f <- d2(n)^2 / d3(n)^2
sigma_r <- sum(f * r / d2(n)) / sum(f)
center <- sum(n * xbar) / sum(n)
# qcc sd.xbar(method = "UWAVE-SD"): sum(h s / c4) / sum(h), h = c4^2 / (1 - c4^2)
h <- c4(n)^2 / (1 - c4(n)^2)
sigma_sbar <- sum(h * s / c4(n)) / sum(h)
# qcc sd.xbar(method = "RMSDF") with the c4 correction of Montgomery eq. (6.31)
pooled <- sqrt(sum((n - 1) * s^2) / sum(n - 1)) / c4(sum(n - 1) + 1)
out$xbar_unequal <- list(
  sizes = vec(n), center = center, sigma_rbar = sigma_r, sigma_sbar = sigma_sbar,
  sigma_pooled = pooled,
  ucl = vec(center + 3 * sigma_r / sqrt(n)), lcl = vec(center - 3 * sigma_r / sqrt(n)))
# S chart with the pooled sigma: center c4(n) sigma, limits c4 sigma -/+ 3 sqrt(1 - c4^2) sigma
out$s_unequal <- list(
  center = vec(c4(n) * pooled),
  ucl = vec(c4(n) * pooled + 3 * sqrt(1 - c4(n)^2) * pooled),
  lcl = vec(pmax(c4(n) * pooled - 3 * sqrt(1 - c4(n)^2) * pooled, 0)))

# --- u chart (qcc limits.u): Montgomery ISQC, personal computers (qcc data pcmanufact) -------
pc <- c(10, 12, 8, 14, 10, 16, 11, 7, 10, 15, 9, 5, 7, 11, 12, 6, 8, 10, 7, 5)
pc_n <- rep(5, 20)
ubar <- sum(pc) / sum(pc_n)
out$u_pcmanufact <- list(center = ubar, ucl = ubar + 3 * sqrt(ubar / 5),
                         lcl = max(ubar - 3 * sqrt(ubar / 5), 0))
# u chart with unequal, fractional areas of opportunity (constructed data)
ud <- c(14, 12, 20, 11, 7, 10, 21, 16, 19, 23)
un <- c(10, 8, 13, 10, 9.5, 10, 12, 10.5, 12, 12.5)
ub <- sum(ud) / sum(un)
out$u_unequal <- list(counts = vec(ud), sizes = vec(un), center = ub,
                      ucl = vec(ub + 3 * sqrt(ub / un)), lcl = vec(pmax(ub - 3 * sqrt(ub / un), 0)))

# --- p and np charts with unequal sample sizes (qcc limits.p / limits.np) -------------------
pd <- c(5, 9, 4, 12)
pn <- c(100, 150, 80, 200)
pb <- sum(pd) / sum(pn)
out$p_unequal <- list(
  defectives = vec(pd), sizes = vec(pn), center = pb,
  ucl = vec(pmin(pb + 3 * sqrt(pb * (1 - pb) / pn), 1)),
  lcl = vec(pmax(pb - 3 * sqrt(pb * (1 - pb) / pn), 0)),
  np_center = vec(pn * pb), np_ucl = vec(pn * pb + 3 * sqrt(pn * pb * (1 - pb))))

# --- Laney p' and u' (Laney 2002, Quality Engineering 14(4); qicharts2 qic.pp / qic.up) -------
ld <- c(120, 135, 110, 150, 100, 128, 141)
ln <- c(1000, 1100, 950, 1200, 1000, 1050, 1150)
pbar <- sum(ld) / sum(ln)
sp <- sqrt(pbar * (1 - pbar) / ln)
z <- (ld / ln - pbar) / sp
sigma_z <- mean(abs(diff(z))) / d2(2)   # qicharts2 divides by the tabled 1.128
ubar_l <- sum(ld) / sum(ln)
zu <- (ld / ln - ubar_l) / sqrt(ubar_l / ln)
sigma_zu <- mean(abs(diff(zu))) / d2(2)
out$laney <- list(
  counts = vec(ld), sizes = vec(ln),
  p_center = pbar, p_sigma_z = sigma_z,
  p_ucl = vec(pbar + 3 * sigma_z * sp), p_lcl = vec(pmax(pbar - 3 * sigma_z * sp, 0)),
  u_center = ubar_l, u_sigma_z = sigma_zu,
  u_ucl = vec(ubar_l + 3 * sigma_zu * sqrt(ubar_l / ln)))

# --- tabular CUSUM (Montgomery ISQC 6th ed., Example 9.1, Table 9.1; qcc::cusum recursion) --
mont <- c(9.45, 7.99, 9.29, 11.66, 12.16, 10.18, 8.04, 11.46, 9.20, 10.34,
          9.03, 11.47, 10.51, 9.40, 10.08, 9.37, 10.62, 10.31, 8.52, 10.84,
          10.90, 9.33, 12.29, 11.50, 10.60, 11.08, 10.38, 11.62, 11.31, 10.52)
tab_cusum <- function(x, mu0, sigma, k, h) {
  cp <- cm <- numeric(length(x))
  for (i in seq_along(x)) {
    prev_p <- if (i == 1) 0 else cp[i - 1]
    prev_m <- if (i == 1) 0 else cm[i - 1]
    cp[i] <- max(0, x[i] - (mu0 + k * sigma) + prev_p)
    cm[i] <- max(0, (mu0 - k * sigma) - x[i] + prev_m)
  }
  list(upper = vec(cp), lower = vec(-cm), beyond = vec(which(cp > h * sigma | cm > h * sigma) - 1))
}
out$cusum_montgomery <- c(list(data = vec(mont)), tab_cusum(mont, 10, 1, 0.5, 5))
nist <- c(52.0, 47.0, 53.0, 49.3, 50.1, 47.0, 51.0, 50.1, 51.2, 50.5, 49.6, 47.6, 49.9,
          51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1)
out$cusum_nist <- tab_cusum(nist, 50, 2.0539, 0.5, 4)

# --- g chart: Minitab's probability limits, from R's geometric distribution ------------------
# Minitab (G chart methods): p = 1 / (gbar + 1); a limit is the "number until" quantile,
# linearly interpolated between whole numbers, minus 1. pgeom(k - 1, p) is P(N <= k) for
# the number of trials N until the event.
g_data <- c(10, 30, 5, 60, 22, 14, 3, 45, 28, 9)
g_quantile <- function(q, p) {
  k <- 1
  while (pgeom(k - 1, p) < q) k <- k + 1
  lo <- if (k == 1) 0 else pgeom(k - 2, p)
  (k - 1) + (q - lo) / (pgeom(k - 1, p) - lo) - 1
}
gp <- 1 / (mean(g_data) + 1)
out$g_chart <- list(data = vec(g_data), center = g_quantile(0.5, gp),
                    ucl = g_quantile(pnorm(3), gp), lcl = max(g_quantile(pnorm(-3), gp), 0),
                    sigma = sqrt(1 - gp) / gp)

# --- I chart with a missing value (qicharts2 qic.i): no moving range across the gap ----------
iy <- c(1, 2, NA, 10, 11, 12, 10, 13, 11, 12, 10, 11)
amr <- mean(abs(diff(iy)), na.rm = TRUE)
mr <- abs(diff(iy))
mr <- mr[mr < 3.267 * amr]   # qicharts2 screens moving ranges above 3.267 AMR (none here)
amr <- mean(mr, na.rm = TRUE)
out$i_missing <- list(data = vec(iy), center = mean(iy, na.rm = TRUE),
                      mean_mr = amr, sigma = amr / d2(2), sigma_qicharts2 = amr / 1.128)

# --- capability on values near 1e-300 -------------------------------------------------------
# R's sd() of these values is 0 too (the squares underflow), so the reference uses
# sd(c x) = c sd(x): computed on the unscaled values, then scaled.
set.seed(2024)
base <- rnorm(100, 10, 1)
tiny <- base * 1e-300
t_sw <- mean(abs(diff(base))) / d2(2) * 1e-300
t_so <- sd(base) * 1e-300
out$capability_tiny <- list(
  data = vec(tiny), lsl = 5e-300, usl = 15e-300, mean = mean(tiny), sigma_within = t_sw,
  sigma_overall = t_so, cp = (15e-300 - 5e-300) / (6 * t_sw),
  pp = (15e-300 - 5e-300) / (6 * t_so),
  ppk = min(mean(tiny) - 5e-300, 15e-300 - mean(tiny)) / (3 * t_so))

# --- Box-Cox lambda by maximum likelihood --------------------------------------------------
# The profile log-likelihood written out and maximised by optimize(); car::powerTransform
# (family "bcPower") agrees to 1e-6 and is recorded beside it.
suppressPackageStartupMessages(library(car))
bc_loglik <- function(lam, x) {
  y <- if (abs(lam) < 1e-12) log(x) else (x^lam - 1) / lam
  -length(x) / 2 * log(mean((y - mean(y))^2)) + (lam - 1) * sum(log(x))
}
bc_mle <- function(x) optimize(bc_loglik, c(-3, 3), x = x, maximum = TRUE, tol = 1e-12)$maximum
# the quantiles of a gamma(2) sample of 100000: a large, skewed, reproducible sample
gq <- qgamma((1:100000 - 0.5) / 100000, shape = 2)
out$boxcox <- list(
  trees_volume = vec(trees$Volume), trees_lambda = bc_mle(trees$Volume),
  trees_lambda_car = unname(powerTransform(trees$Volume)$lambda),
  gamma_n = 100000, gamma_shape = 2, gamma_lambda = bc_mle(gq),
  gamma_lambda_car = unname(powerTransform(gq)$lambda),
  # skewed to the left (lambda above 1) and the reciprocal of the gamma sample (negative
  # lambda): Newton's refinement on the full data, away from the gamma case's lambda
  beta_shape = c(5, 1.5), beta_lambda = bc_mle(qbeta((1:100000 - 0.5) / 100000, 5, 1.5)),
  inverse_gamma_lambda = bc_mle(1 / gq))

# --- run charts: Anhoej rules as qicharts2 (R/helper.functions.R, runs.analysis) -----------
# longest run above its limit round(log2(n)) + 3, or crossings below qbinom(0.05, n - 1, 0.5),
# n the useful observations (not on the median). Anhoej & Olesen, PLoS ONE 9(11) e113825.
n_useful <- 10:100
out$anhoej_limits <- list(n = vec(n_useful), longest_run_max = vec(round(log2(n_useful)) + 3),
                          crossings_min = vec(qbinom(0.05, n_useful - 1, 0.5)))
runs_analysis <- function(y) {
  cl <- median(y, na.rm = TRUE)
  runs <- sign(y - cl)
  runs <- runs[runs != 0 & !is.na(runs)]
  nu <- length(runs)
  lengths <- rle(runs)$lengths
  longest <- max(lengths)
  crossings <- max(length(lengths) - 1, 0)
  longest_max <- round(log2(nu)) + 3
  crossings_min <- qbinom(0.05, max(nu - 1, 0), 0.5)
  list(data = vec(y), median = cl, n_useful = nu, longest_run = longest,
       longest_run_max = longest_max, crossings = crossings, crossings_min = crossings_min,
       signal = longest > longest_max || crossings < crossings_min)
}
set.seed(19)
random24 <- round(rnorm(24, 10, 1), 2)
set.seed(7)
shifted <- round(c(rnorm(12, 10, 1), rnorm(12, 12, 1)), 2)
ties <- c(3, 5, 4, 4, 6, 4, 2, 4, 7, 5, 4, 3, 4, 6, 5, 4)
short <- c(12, 15, 11, 14, 13, 16, 15, 17, 18, 20)
with_na <- c(5.1, 4.8, NA, 5.6, 5.9, 6.1, 6.3, 6.0, 6.4, 6.2, 6.6, 6.5, 4.9, 5.0)
out$run_charts <- list(random24 = runs_analysis(random24), shifted = runs_analysis(shifted),
                       ties = runs_analysis(ties), short = runs_analysis(short),
                       with_na = runs_analysis(with_na))

writeLines(to_json(out), file.path(here, "control_values.json"))
cat("wrote", file.path(here, "control_values.json"), "\n")
