# Population fits of the Theophylline data by R nlme, as in Pinheiro & Bates (2000), Mixed-Effects
# Models in S and S-PLUS, §6.2 (fm1Theo.nlme: random effects on lKe, lKa, lCl with a general
# positive-definite Ω; fm3Theo.nlme: independent random effects on lKa and lCl only). Maximum
# likelihood (nlme's default). Source of Examples/populations/theophylline-pinheiro-bates.json.
# Data: R's datasets::Theoph (the same 12 subjects as Tests/Fixtures/pk-datasets/theophylline.csv;
# Dose there is mg/kg, so CL = e^lCl is L/h per kg).
# Run offline: Rscript theophylline_nlme_population.R > theophylline_nlme_population.txt
# Tool: R 4.2.2 with nlme 3.1-162 (Debian bookworm packages r-base-core, r-cran-nlme).
suppressMessages(library(nlme))
cat(sprintf("R %s, nlme %s\n", getRversion(), packageVersion("nlme")))
show <- function(label, fm) {
  cat(sprintf("\n== %s (method %s)\n", label, fm$method))
  fe <- fixef(fm)
  for (n in names(fe)) cat(sprintf("theta %s %.10g\n", n, fe[[n]]))
  om <- pdMatrix(fm$modelStruct$reStruct[[1]]) * fm$sigma^2  # Ω, log-scale variances
  for (i in rownames(om)) for (j in colnames(om)) cat(sprintf("omega %s %s %.10g\n", i, j, om[i, j]))
  cat(sprintf("sigma %.10g\n", fm$sigma))
  cat(sprintf("logLik %.6f\n", as.numeric(logLik(fm))))
  print(summary(fm)$tTable)
  print(VarCorr(fm))
}
fm1Theo.lis <- nlsList(conc ~ SSfol(Dose, Time, lKe, lKa, lCl), data = Theoph)
fm1Theo.nlme <- nlme(fm1Theo.lis)
show("fm1Theo.nlme", fm1Theo.nlme)
fm3Theo.nlme <- update(fm1Theo.nlme, random = pdDiag(lKa + lCl ~ 1))
show("fm3Theo.nlme", fm3Theo.nlme)
