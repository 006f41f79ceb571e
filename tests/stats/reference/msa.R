# Reference values for tests/stats/test_msa.py and tests/stats/test_agreement.py, computed
# independently of ciapp in base R (R 4.2, Debian r-base-core; no add-on packages).
#
#   cd tests/stats/reference && Rscript msa.R     # writes msa_values.txt
#
# Gage R&R: two-way ANOVA by aov(), variance components from the expected mean squares of
# the random-effects model (Montgomery, Introduction to SQC, section 8.7; AIAG MSA 4th ed.).
# Kappa: the formulas of R's irr package (kappam.fleiss with detail = TRUE, kappa2), written
# out because irr is not packaged for Debian; Minitab's attribute agreement definitions
# (within, each vs standard as the mean of trial-vs-standard kappas, between, all vs
# standard) on top. Exact intervals come from binom.test().
#
# Output: one "name value" line each, %.15g. The tests read the file; they never run R.

data_dir <- file.path("..", "data")
out <- character()
put <- function(name, value) {
  out[[length(out) + 1]] <<- sprintf("%s %.15g", name, value)
}

## ---- Gage R&R ------------------------------------------------------------------------
gage <- function(d, prefix) {
  d$part <- factor(d$part); d$operator <- factor(d$operator)
  p <- nlevels(d$part); o <- nlevels(d$operator); r <- nrow(d) / (p * o)
  full <- summary(aov(y ~ part * operator, data = d))[[1]]
  ss <- full[["Sum Sq"]]; df <- full[["Df"]]; ms <- full[["Mean Sq"]]
  # rows of full: part, operator, part:operator, Residuals
  f_int <- ms[3] / ms[4]
  p_int <- pf(f_int, df[3], df[4], lower.tail = FALSE)
  put(paste0(prefix, ".ss_part"), ss[1]); put(paste0(prefix, ".ss_operator"), ss[2])
  put(paste0(prefix, ".ss_interaction"), ss[3]); put(paste0(prefix, ".ss_error"), ss[4])
  put(paste0(prefix, ".interaction_p"), p_int)
  if (p_int <= 0.05) {
    # random model: part and operator are tested against the interaction
    put(paste0(prefix, ".f_part"), ms[1] / ms[3])
    put(paste0(prefix, ".p_part"), pf(ms[1] / ms[3], df[1], df[3], lower.tail = FALSE))
    put(paste0(prefix, ".p_operator"), pf(ms[2] / ms[3], df[2], df[3], lower.tail = FALSE))
    repeatability <- ms[4]
    interaction <- max((ms[3] - ms[4]) / r, 0)
    operator <- max((ms[2] - ms[3]) / (p * r), 0)
    part <- max((ms[1] - ms[3]) / (o * r), 0)
  } else {
    # interaction removed: the reduced model, as fitted by aov
    red <- summary(aov(y ~ part + operator, data = d))[[1]]
    ms_r <- red[["Mean Sq"]]; df_r <- red[["Df"]]
    put(paste0(prefix, ".f_part"), ms_r[1] / ms_r[3])
    put(paste0(prefix, ".p_part"), pf(ms_r[1] / ms_r[3], df_r[1], df_r[3], lower.tail = FALSE))
    put(paste0(prefix, ".p_operator"), pf(ms_r[2] / ms_r[3], df_r[2], df_r[3],
                                          lower.tail = FALSE))
    put(paste0(prefix, ".df_repeatability"), df_r[3])
    repeatability <- ms_r[3]
    interaction <- 0
    operator <- max((ms_r[2] - ms_r[3]) / (p * r), 0)
    part <- max((ms_r[1] - ms_r[3]) / (o * r), 0)
  }
  grr <- repeatability + operator + interaction
  total <- grr + part
  vc <- c(total_gage_rr = grr, repeatability = repeatability,
          reproducibility = operator + interaction, operator = operator,
          operator_part = interaction, part_to_part = part, total = total)
  for (n in names(vc)) {
    put(paste0(prefix, ".var.", n), vc[[n]])
    put(paste0(prefix, ".pct_contribution.", n), 100 * vc[[n]] / total)
    put(paste0(prefix, ".pct_study_var.", n), 100 * sqrt(vc[[n]] / total))
  }
  put(paste0(prefix, ".ndc"), floor(sqrt(2) * sqrt(part) / sqrt(grr)))
}

hb <- as.matrix(read.table(file.path(data_dir, "houf_berman_thermal_impedance.txt"),
                           comment.char = "#"))
houf <- data.frame(y = as.vector(t(hb)),
                   part = rep(1:10, each = 9),
                   operator = rep(rep(1:3, each = 3), times = 10))
gage(houf, "houf")
# The same study with the parts spread 5 times wider, and 10 times narrower, around their
# grand mean (y + k * (part mean - grand mean), k = 4 and -0.9): a clearly acceptable and a
# clearly unacceptable measurement system for the AIAG verdict.
for (k in c(4, -0.9)) {
  wide <- houf
  wide$y <- houf$y + k * (ave(houf$y, houf$part) - mean(houf$y))
  gage(wide, if (k > 0) "houf_wide" else "houf_narrow")
}
add <- read.table(file.path(data_dir, "gage_additive.txt"), comment.char = "#",
                  col.names = c("part", "operator", "y"))
gage(add, "additive")

## ---- kappa -----------------------------------------------------------------------------
count_table <- function(ratings, lev) {
  # subjects x categories counts, as irr::kappam.fleiss builds ttab
  t(apply(ratings, 1, function(row) as.numeric(table(factor(row, levels = lev)))))
}

fleiss <- function(ttab, prefix, cats = seq_len(ncol(ttab))) {
  ns <- nrow(ttab); nr <- sum(ttab[1, ])
  agreeP <- sum((rowSums(ttab^2) - nr) / (nr * (nr - 1)) / ns)
  chanceP <- sum(colSums(ttab)^2) / (ns * nr)^2
  value <- (agreeP - chanceP) / (1 - chanceP)
  pj <- colSums(ttab) / (ns * nr); qj <- 1 - pj
  varkappa <- (2 / (sum(pj * qj)^2 * (ns * nr * (nr - 1)))) *
    (sum(pj * qj)^2 - sum(pj * qj * (qj - pj)))
  se <- sqrt(varkappa)
  put(paste0(prefix, ".kappa"), value); put(paste0(prefix, ".se"), se)
  put(paste0(prefix, ".z"), value / se)
  put(paste0(prefix, ".p"), pnorm(value / se, lower.tail = FALSE))  # Minitab: P(vs > 0)
  pjk <- (colSums(ttab^2) - ns * nr * pj) / (ns * nr * (nr - 1) * pj)
  kappaK <- (pjk - pj) / (1 - pj)
  seK <- sqrt(2 / (ns * nr * (nr - 1)))
  for (j in seq_along(cats)) {
    if (pj[j] > 0) {
      put(paste0(prefix, ".cat.", cats[j], ".kappa"), kappaK[j])
      put(paste0(prefix, ".cat.", cats[j], ".z"), kappaK[j] / seK)
    }
  }
  put(paste0(prefix, ".cat_se"), seK)
  invisible(list(kappa = value, se = se, kappaK = kappaK, seK = seK))
}

cohen <- function(a, b, lev, prefix = NULL) {
  ttab <- table(factor(a, levels = lev), factor(b, levels = lev))
  n <- sum(ttab); pr <- rowSums(ttab) / n; pc <- colSums(ttab) / n
  po <- sum(diag(ttab)) / n; pe <- sum(pr * pc)
  value <- (po - pe) / (1 - pe)
  # variance under H0: Fleiss, Cohen & Everitt (1969)
  se0 <- sqrt((pe + pe^2 - sum(pr * pc * (pr + pc))) / (n * (1 - pe)^2))
  if (!is.null(prefix)) {
    put(paste0(prefix, ".kappa"), value); put(paste0(prefix, ".se"), se0)
    put(paste0(prefix, ".z"), value / se0)
    put(paste0(prefix, ".p"), pnorm(value / se0, lower.tail = FALSE))
  }
  invisible(list(kappa = value, se = se0))
}

# Fleiss (1971) psychiatric diagnoses, 30 subjects x 6 raters
diag <- as.matrix(read.table(file.path(data_dir, "fleiss_diagnoses.txt"), comment.char = "#"))
fleiss(count_table(diag, 1:5), "diagnoses")
# Cohen's kappa of the first two raters' columns (as irr::kappa2(diagnoses[, 1:2]))
cohen(diag[, 1], diag[, 2], 1:5, "diagnoses_cohen12")

## ---- attribute agreement (Minitab's definitions) ------------------------------------------
aa <- read.table(file.path(data_dir, "attribute_passfail.txt"), comment.char = "#",
                 col.names = c("sample", "appraiser", "trial", "rating", "standard"),
                 stringsAsFactors = FALSE)
lev <- sort(unique(c(aa$rating, aa$standard)))
samples <- sort(unique(aa$sample)); apps <- sort(unique(aa$appraiser))
trials <- sort(unique(aa$trial))
rating_of <- function(a, t) {
  sapply(samples, function(s) aa$rating[aa$sample == s & aa$appraiser == a & aa$trial == t])
}
std <- sapply(samples, function(s) aa$standard[aa$sample == s][1])
cp <- function(prefix, matched) {
  n <- length(matched); x <- sum(matched)
  # two-sided exact interval; one-sided when all or none matched, as Minitab prints it
  ci <- if (x == n) {
    binom.test(x, n, alternative = "greater")$conf.int
  } else if (x == 0) {
    binom.test(x, n, alternative = "less")$conf.int
  } else {
    binom.test(x, n)$conf.int
  }
  put(paste0(prefix, ".matched"), x)
  put(paste0(prefix, ".ci_low"), 100 * ci[1]); put(paste0(prefix, ".ci_high"), 100 * ci[2])
}
mean_kappa <- function(prefix, fits) {
  k <- sapply(fits, `[[`, "kappa"); s <- sapply(fits, `[[`, "se")
  put(paste0(prefix, ".kappa"), mean(k))
  put(paste0(prefix, ".se"), sqrt(sum(s^2)) / length(s))
}
all_vs <- list(); all_vs_cohen <- list()
for (a in apps) {
  r <- sapply(trials, function(t) rating_of(a, t))        # samples x trials
  cp(paste0("aa.within.", a), apply(r, 1, function(x) all(x == x[1])))
  fleiss(count_table(r, lev), paste0("aa.within.", a))
  cohen(r[, 1], r[, 2], lev, paste0("aa.within.", a, ".cohen"))
  cp(paste0("aa.vs.", a), sapply(seq_along(samples), function(i) all(r[i, ] == std[i])))
  fits <- lapply(trials, function(t) {
    f <- fleiss(count_table(cbind(r[, t], std), lev), paste0("aa.vs.", a, ".trial", t))
    list(kappa = f$kappa, se = f$se)
  })
  mean_kappa(paste0("aa.vs.", a), fits)
  cfits <- lapply(trials, function(t) cohen(r[, t], std, lev))
  mean_kappa(paste0("aa.vs.", a, ".cohen"), cfits)
  all_vs <- c(all_vs, fits); all_vs_cohen <- c(all_vs_cohen, cfits)
}
everyone <- do.call(cbind, lapply(apps, function(a) sapply(trials, function(t) rating_of(a, t))))
cp("aa.between", apply(everyone, 1, function(x) all(x == x[1])))
fleiss(count_table(everyone, lev), "aa.between")
cp("aa.all_vs", sapply(seq_along(samples), function(i) all(everyone[i, ] == std[i])))
mean_kappa("aa.all_vs", all_vs)
mean_kappa("aa.all_vs.cohen", all_vs_cohen)

writeLines(c(sprintf("# written by msa.R with %s; do not edit by hand", R.version.string),
             out), "msa_values.txt")
