#!/bin/sh
# Renders a soak CSV (bench/results/soak-*.csv, written by `bench/run.sh soak`) to a PNG:
#   bench/soak-plot.sh bench/results/soak-20261202-040000.csv [out.png]
# Top: RSS, heap in use and heap after a full GC (MiB); bottom: file descriptors and threads.
# Needs gnuplot (Debian: apt-get install gnuplot-nox).
set -eu
csv=$1
png=${2:-${csv%.csv}.png}
command -v gnuplot >/dev/null 2>&1 || { echo "gnuplot is needed: apt-get install -y gnuplot-nox" >&2; exit 1; }
gnuplot <<GP
set terminal pngcairo size 1100,800 font "sans,10"
set output "$png"
set datafile separator ","
set datafile missing ""
set key autotitle columnhead left top
set multiplot layout 2,1 title "soak: $(basename "$csv")"
set xlabel "minutes"
set ylabel "MiB"
set grid
set yrange [0:*]
plot "$csv" using (\$1/60):(\$2/1024) with lines lw 2 title "RSS", \
     "$csv" using (\$1/60):(\$3/1024) with lines title "heap in use", \
     "$csv" using (\$1/60):(\$4/1024) with linespoints pt 7 ps 0.6 title "heap after full GC"
set ylabel "count"
plot "$csv" using (\$1/60):5 with lines lw 2 title "file descriptors", \
     "$csv" using (\$1/60):6 with lines lw 2 title "threads"
unset multiplot
GP
echo "$png"
