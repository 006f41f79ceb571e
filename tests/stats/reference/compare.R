# Reference values for tests/stats/test_compare*.py, test_groups.py, test_one_sample.py.
#
# Run from the repository root with R >= 4.2 and the Debian packages r-base-core, r-cran-car:
#     Rscript tests/stats/reference/compare.R
# It writes tests/stats/reference/compare_values.csv (name,value; vectors as name[1], name[2]).
# The tests read that file; they never run R. Every value is written next to the R call that
# produced it, and each data set is spelled out here so the Python tests can use the same
# numbers. Convention of ciapp.stats: before first, after second, change = after - before, so
# R's two-sample calls take (after, before).

suppressPackageStartupMessages(library(car))
suppressPackageStartupMessages(library(pwr))

out <- character()
put <- function(name, value) {
  value <- unname(as.numeric(value))
  if (length(value) == 1) {
    out <<- c(out, sprintf("%s,%.17g", name, value))
  } else {
    out <<- c(out, sprintf("%s[%d],%.17g", name, seq_along(value), value))
  }
}
test <- function(prefix, h) {
  put(paste0(prefix, ".statistic"), h$statistic)
  put(paste0(prefix, ".p_value"), h$p.value)
  if (!is.null(h$parameter)) put(paste0(prefix, ".df"), h$parameter)
  if (!is.null(h$conf.int)) put(paste0(prefix, ".ci"), h$conf.int)
  if (!is.null(h$estimate)) put(paste0(prefix, ".estimate"), h$estimate)
}

# -- data -----------------------------------------------------------------------------------
sleep1 <- c(0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0)   # R: sleep$extra[1:10]
sleep2 <- c(1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4)     # R: sleep$extra[11:20]
stopifnot(all.equal(c(sleep1, sleep2), sleep$extra))
# R ?wilcox.test, paired example (depression scale, Hollander & Wolfe p. 29)
wx <- c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30)
wy <- c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)
# R ?wilcox.test, two-sample example (Hollander & Wolfe p. 69)
mx <- c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46)
my <- c(1.15, 0.88, 0.90, 0.74, 1.21)
# R ?kruskal.test (Hollander & Wolfe p. 116): mucociliary efficiency
hw_x <- c(2.9, 3.0, 2.5, 2.6, 3.2)
hw_y <- c(3.8, 2.7, 4.0, 2.4)
hw_z <- c(2.8, 3.4, 3.7, 2.2, 2.0)
# PlantGrowth (R datasets): dried plant weights, control and two treatments
pg_ctrl <- c(4.17, 5.58, 5.18, 6.11, 4.50, 4.61, 5.17, 4.53, 5.33, 5.14)
pg_trt1 <- c(4.81, 4.17, 4.41, 3.59, 5.87, 3.83, 6.03, 4.89, 4.32, 4.69)
pg_trt2 <- c(6.31, 5.12, 5.54, 5.50, 5.37, 5.29, 4.92, 6.15, 5.80, 5.26)
stopifnot(all.equal(c(pg_ctrl, pg_trt1, pg_trt2), PlantGrowth$weight))
# NIST/SEMATECH e-Handbook 1.3.5.10, GEAR.DAT (tests/stats/data/gear.txt): 10 batches of 10
gear <- matrix(scan("tests/stats/data/gear.txt", comment.char = "#", quiet = TRUE),
               nrow = 10, byrow = TRUE)
# NIST/SEMATECH e-Handbook 1.3.5.3, AUTO83B.DAT (tests/stats/data): mpg of US and Japanese cars
us <- scan("tests/stats/data/auto83b_us_mpg.txt", comment.char = "#", quiet = TRUE)
jp <- scan("tests/stats/data/auto83b_jp_mpg.txt", comment.char = "#", quiet = TRUE)
# NIST/SEMATECH e-Handbook 7.4.3.3 one-way ANOVA example
nist_a <- list(c(6.9, 5.4, 5.8, 4.6, 4.0), c(8.3, 6.8, 7.8, 9.2, 6.5),
               c(8.0, 10.5, 8.1, 6.9, 9.3))
# groups with clearly unequal spread, for Welch's ANOVA and Games-Howell
uv <- list(c(10.1, 9.8, 10.3, 10.0, 9.9, 10.2),
           c(11.5, 8.2, 12.9, 9.4, 13.1, 7.7, 10.8),
           c(12.0, 12.4, 11.7, 12.2, 12.5))
long <- function(groups) {
  data.frame(y = unlist(groups),
             g = factor(rep(seq_along(groups), lengths(groups))))
}

# -- two proportions: prop.test with and without Yates, Fisher's exact ------------------------
# before 30/100, after 18/100
test("prop_yates", prop.test(c(18, 30), c(100, 100), correct = TRUE))
test("prop_plain", prop.test(c(18, 30), c(100, 100), correct = FALSE))
test("prop_yates_less", prop.test(c(18, 30), c(100, 100), correct = TRUE, alternative = "less"))
test("prop_plain_less", prop.test(c(18, 30), c(100, 100), correct = FALSE, alternative = "less"))
# Fisher: rows after, before; columns successes, failures (odds ratio = after / before)
test("fisher_tea", fisher.test(matrix(c(3, 1, 1, 3), 2)))             # after 3/4, before 1/4
test("fisher_conv_less", fisher.test(matrix(c(2, 10, 15, 3), 2), alternative = "less"))
test("fisher_conv", fisher.test(matrix(c(2, 10, 15, 3), 2)))          # after 2/17, before 10/13
# fisher.test's estimate and interval come from uniroot at its default tolerance (about 1e-4,
# on 1/t for the upper end, so 621.9 above can be off by a percent). The same equations as
# stats:::fisher.test (noncentral hypergeometric on the table's support), solved on the log
# scale to 1e-13:
fisher_tight <- function(tab, alternative = "two.sided", conf = 0.95) {
  m <- sum(tab[, 1]); n <- sum(tab[, 2]); k <- sum(tab[1, ]); x <- tab[1, 1]
  lo <- max(0, k - n); hi <- min(k, m); support <- lo:hi
  logdc <- dhyper(support, m, n, k, log = TRUE)
  dn <- function(lt) { d <- logdc + lt * support; d <- exp(d - max(d)); d / sum(d) }
  mn <- function(lt) sum(support * dn(lt))
  pn <- function(q, lt, upper) {
    d <- dn(lt); if (upper) sum(d[support >= q]) else sum(d[support <= q])
  }
  root <- function(f) uniroot(f, c(-50, 50), tol = 1e-13, extendInt = "yes")$root
  est <- exp(root(function(lt) mn(lt) - x))
  a <- if (alternative == "two.sided") (1 - conf) / 2 else 1 - conf
  low <- if (x == lo || alternative == "less") 0 else exp(root(function(lt) pn(x, lt, TRUE) - a))
  up <- if (x == hi || alternative == "greater") Inf else
    exp(root(function(lt) pn(x, lt, FALSE) - a))
  c(est, low, up)
}
put("fisher_tight_tea", fisher_tight(matrix(c(3, 1, 1, 3), 2)))
put("fisher_tight_conv_less", fisher_tight(matrix(c(2, 10, 15, 3), 2), "less"))
put("fisher_tight_conv", fisher_tight(matrix(c(2, 10, 15, 3), 2)))

# -- rank tests -----------------------------------------------------------------------------
# exact (no ties, both n < 50): wilcox.test(after, before)
test("mw_exact", wilcox.test(mx, my, conf.int = TRUE))
test("mw_exact_greater", wilcox.test(mx, my, alternative = "greater", conf.int = TRUE))
test("sr_exact", wilcox.test(wx, wy, paired = TRUE, conf.int = TRUE))
test("sr_exact_greater", wilcox.test(wx, wy, paired = TRUE, alternative = "greater"))
test("sr_exact_less", wilcox.test(wx, wy, paired = TRUE, alternative = "less"))
# normal approximation with continuity correction (R's default when exact is off)
test("mw_approx", wilcox.test(mx, my, exact = FALSE))
test("sr_approx", wilcox.test(wx, wy, paired = TRUE, exact = FALSE))
# ties (GEAR batches 2 vs 1): R falls back to the normal approximation
test("mw_ties", suppressWarnings(wilcox.test(gear[2, ], gear[1, ])))
test("sr_ties", suppressWarnings(wilcox.test(gear[2, ], gear[1, ], paired = TRUE)))
# sleep, paired: zeros dropped, ties: normal approximation
test("sr_sleep", suppressWarnings(wilcox.test(sleep2, sleep1, paired = TRUE)))

# -- t-tests ----------------------------------------------------------------------------------
test("t_welch_sleep", t.test(sleep2, sleep1))
test("t_student_sleep", t.test(sleep2, sleep1, var.equal = TRUE))
test("t_paired_sleep", t.test(sleep2, sleep1, paired = TRUE))
# power of the Student t-test at the observed effect d (pooled sd), strict two-sided (both tails)
sp <- sqrt((var(sleep1) + var(sleep2)) / 2)
d_sleep <- (mean(sleep2) - mean(sleep1)) / sp
put("power_sleep.d", d_sleep)
put("power_sleep.power", power.t.test(n = 10, delta = d_sleep, sd = 1, strict = TRUE)$power)
put("power_sleep.n", power.t.test(power = 0.8, delta = d_sleep, sd = 1, strict = TRUE)$n)

# power and sample size (tests/stats/test_power.py); pwr counts both tails, as ciapp does
put("pwr_2p.power", pwr.2p.test(h = ES.h(0.65, 0.5), n = 80)$power)
put("pwr_2p.n", pwr.2p.test(h = ES.h(0.75, 0.5), power = 0.8)$n)
put("pwr_2p_greater.n", pwr.2p.test(h = ES.h(0.75, 0.5), power = 0.8, alternative = "greater")$n)
put("pwr_t1.power", pwr.t.test(d = 0.8, n = 12, type = "one.sample")$power)
put("pwr_t2_unequal.power", pwr.t2n.test(n1 = 15, n2 = 30, d = 0.6)$power)

# -- several groups -------------------------------------------------------------------------
test("kw_hw", kruskal.test(list(hw_x, hw_y, hw_z)))
test("kw_gear", kruskal.test(lapply(1:10, function(i) gear[i, ])))
test("kw_pg", kruskal.test(weight ~ group, data = PlantGrowth))
# Mood's median test as Minitab: counts above the grand median against at or below it,
# Pearson chi-square without continuity correction, df = k - 1
mood <- function(groups) {
  m <- median(unlist(groups))
  tab <- rbind(sapply(groups, function(x) sum(x > m)), sapply(groups, function(x) sum(x <= m)))
  suppressWarnings(chisq.test(tab, correct = FALSE))
}
test("mood_pg", mood(list(pg_ctrl, pg_trt1, pg_trt2)))
test("mood_gear", mood(lapply(1:10, function(i) gear[i, ])))
put("mood_pg.grand_median", median(PlantGrowth$weight))

gl <- long(lapply(1:10, function(i) gear[i, ]))
bf <- leveneTest(y ~ g, data = gl, center = median)
put("bf_gear.statistic", bf$`F value`[1]); put("bf_gear.p_value", bf$`Pr(>F)`[1])
put("bf_gear.df", c(bf$Df[1], bf$Df[2]))
lv <- leveneTest(y ~ g, data = gl, center = mean)
put("levene_gear.statistic", lv$`F value`[1]); put("levene_gear.p_value", lv$`Pr(>F)`[1])
test("bartlett_gear", bartlett.test(y ~ g, data = gl))
bf <- leveneTest(y ~ g, data = long(list(gear[1, ], gear[2, ])), center = median)
put("bf_gear12.statistic", bf$`F value`[1]); put("bf_gear12.p_value", bf$`Pr(>F)`[1])
# F test for variances, after (Japan) over before (US)
test("var_test_auto", var.test(jp, us))
pl <- long(list(pg_ctrl, pg_trt1, pg_trt2))
bf <- leveneTest(y ~ g, data = pl, center = median)
put("bf_pg.statistic", bf$`F value`[1]); put("bf_pg.p_value", bf$`Pr(>F)`[1])
test("bartlett_pg", bartlett.test(y ~ g, data = pl))

fit <- aov(y ~ g, data = pl)
tab <- summary(fit)[[1]]
put("anova_pg.statistic", tab$`F value`[1]); put("anova_pg.p_value", tab$`Pr(>F)`[1])
put("anova_pg.ss", tab$`Sum Sq`)
tk <- TukeyHSD(fit)$g     # rows 2-1, 3-1, 3-2 (group j minus group i)
put("tukey_pg.diff", tk[, "diff"]); put("tukey_pg.lwr", tk[, "lwr"])
put("tukey_pg.upr", tk[, "upr"]); put("tukey_pg.p_adj", tk[, "p adj"])
tk <- TukeyHSD(aov(y ~ g, data = long(nist_a)))$g
put("tukey_nist.diff", tk[, "diff"]); put("tukey_nist.lwr", tk[, "lwr"])
put("tukey_nist.upr", tk[, "upr"]); put("tukey_nist.p_adj", tk[, "p adj"])

test("welch_uv", oneway.test(y ~ g, data = long(uv)))
test("anova_uv", oneway.test(y ~ g, data = long(uv), var.equal = TRUE))
# Games-Howell (Games & Howell 1976), written out: Welch df per pair, studentized range
games_howell <- function(groups, conf = 0.95) {
  k <- length(groups); rows <- NULL
  for (i in 1:(k - 1)) for (j in (i + 1):k) {
    a <- groups[[i]]; b <- groups[[j]]
    va <- var(a) / length(a); vb <- var(b) / length(b)
    d <- mean(b) - mean(a); se <- sqrt(va + vb)
    df <- (va + vb)^2 / (va^2 / (length(a) - 1) + vb^2 / (length(b) - 1))
    q <- abs(d) / se * sqrt(2)
    half <- qtukey(conf, k, df) / sqrt(2) * se
    rows <- rbind(rows, c(d, d - half, d + half, ptukey(q, k, df, lower.tail = FALSE), df))
  }
  rows
}
gh <- games_howell(uv)
put("gh_uv.diff", gh[, 1]); put("gh_uv.lwr", gh[, 2]); put("gh_uv.upr", gh[, 3])
put("gh_uv.p_adj", gh[, 4]); put("gh_uv.df", gh[, 5])

# -- one sample against a target --------------------------------------------------------------
test("t1_sleep2", t.test(sleep2, mu = 1))
test("t1_sleep2_less", t.test(sleep2, mu = 3, alternative = "less"))
test("w1_exact", wilcox.test(wx - wy, mu = 0.1, conf.int = TRUE))
test("w1_greater", wilcox.test(wx - wy, mu = 0.1, alternative = "greater"))
test("w1_approx", wilcox.test(wx - wy, mu = 0.1, exact = FALSE))
test("binom_7_20", binom.test(7, 20, p = 0.5))
test("binom_7_20_less", binom.test(7, 20, p = 0.6, alternative = "less"))
test("prop1_plain", prop.test(70, 200, p = 0.4, correct = FALSE))
test("prop1_yates", prop.test(70, 200, p = 0.4, correct = TRUE))
# R ?poisson.test: 137 cases of cancer in 24.19893 thousand person-years, against 5 per 1000
test("pois1", poisson.test(137, 24.19893, r = 5))
test("pois1_greater", poisson.test(137, 24.19893, r = 5, alternative = "greater"))
test("pois1_small", poisson.test(3, 2.5, r = 3))

writeLines(c("name,value", out), "tests/stats/reference/compare_values.csv")
