package org.optout.notifier.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A line chart of the report, written as PNG. */
final class Chart {

    private record Series(String name, List<Double> x, List<Double> y) {
    }

    private final String file;
    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final boolean logarithmicX;
    private final List<Series> series = new ArrayList<>();

    Chart(String file, String title, String xTitle, String yTitle, boolean logarithmicX) {
        this.file = file;
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        this.logarithmicX = logarithmicX;
    }

    String file() {
        return file;
    }

    String title() {
        return title;
    }

    boolean has(String name) {
        return series.stream().anyMatch(s -> s.name.equals(name));
    }

    /** Adds a point to the named series, creating it on first use. */
    void point(String name, double x, double y) {
        Series line = series.stream().filter(s -> s.name.equals(name)).findFirst().orElseGet(() -> {
            Series created = new Series(name, new ArrayList<>(), new ArrayList<>());
            series.add(created);
            return created;
        });
        line.x.add(x);
        line.y.add(y);
    }

    void write(Path folder) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLogarithmic(logarithmicX);
        chart.getStyler().setYAxisLogarithmic(yLogarithmic());
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (Series line : series) {
            chart.addSeries(line.name, line.x, line.y).setMarker(line.x.size() > 20 ? SeriesMarkers.NONE
                    : SeriesMarkers.CIRCLE);
        }
        BitmapEncoder.saveBitmap(chart, folder.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Senders a thousand times apart share a chart only on a logarithmic axis. */
    private boolean yLogarithmic() {
        double min = series.stream().flatMap(s -> s.y.stream()).filter(v -> v > 0).min(Double::compare).orElse(1.0);
        double max = series.stream().flatMap(s -> s.y.stream()).max(Double::compare).orElse(1.0);
        return max / min > 50 && series.stream().allMatch(s -> s.y.stream().allMatch(v -> v > 0));
    }
}
