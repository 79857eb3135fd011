#!/bin/sh
# handgrad on a real-world CSV: ";" delimited, an id column, string labels (diagnosis M or B).
# patients.csv holds 450 rows of the breast-cancer data, new-patients.csv the other 119.
#
#   sh examples/cli/run.sh [OUT]       writes OUT/model.json and OUT/predictions.csv
#                                      (OUT defaults to a folder "out" beside this script)
# HANDGRAD is the command to run (default: npx handgrad, in a clone after npm ci).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/out"}
handgrad=${HANDGRAD:-npx handgrad}
mkdir -p "$out"

# Train: the delimiter is detected, the id column is not a feature, the labels M and B
# become the two classes (M, the second in sorted order, is the positive one).
$handgrad train --data "$here/patients.csv" --ignore id --standardize \
  --save "$out/model.json"

# Predict: the columns are found by the names saved in model.json; the id column is not one
# of them, so it is not read (a note says so). The diagnosis column gives the accuracy.
$handgrad predict --model "$out/model.json" --data "$here/new-patients.csv" \
  --out "$out/predictions.csv"

head -n 4 "$out/predictions.csv"
