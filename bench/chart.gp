# TPC-H wall time per query and engine, log scale (bench/run.sh: gnuplot -e "datafile=...; outfile=...").
set terminal pngcairo size 1400,600 noenhanced font ",10"
set output outfile
set title "TPC-H: wall time per query (s, log scale; lower is better)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set ylabel "seconds"
set key top left autotitle columnheader
set grid ytics
set datafile missing "-"
set xtics rotate by -45
ncol = system("head -1 " . datafile . " | awk -F'\"' '{print (NF-1)/2}'")
plot for [i=2:ncol+1] datafile using i:xtic(1)
