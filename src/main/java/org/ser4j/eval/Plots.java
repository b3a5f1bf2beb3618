package org.ser4j.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.ser4j.util.AtomicFiles;

/**
 * PNG plots (XChart, headless): reward-margin histogram, reliability diagram, style splits,
 * learning curves.
 */
public final class Plots {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Plots() {}

  public static void marginHistogram(PairMetrics m, String title, Path png) throws IOException {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : m.margins()) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (!(hi > lo)) {
      lo -= 1;
      hi += 1;
    }
    int bins = 30;
    double[] counts = new double[bins];
    for (double v : m.margins()) {
      counts[Math.min(bins - 1, (int) ((v - lo) / (hi - lo) * bins))]++;
    }
    List<String> labels = new ArrayList<>();
    List<Double> below = new ArrayList<>();
    List<Double> above = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      double center = lo + (b + 0.5) * (hi - lo) / bins;
      labels.add(String.format(java.util.Locale.ROOT, "%.2f", center));
      below.add(center <= 0 ? counts[b] : 0);
      above.add(center > 0 ? counts[b] : 0);
    }
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(900)
            .height(500)
            .title(title)
            .xAxisTitle("reward margin r(chosen) - r(rejected)")
            .yAxisTitle("pairs")
            .build();
    chart.getStyler().setOverlapped(true);
    chart.getStyler().setXAxisLabelRotation(60);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    chart.getStyler().setXAxisDecimalPattern("0.00");
    chart
        .addSeries("ranked wrong (margin <= 0)", labels, below)
        .setFillColor(new java.awt.Color(0xD6, 0x45, 0x45));
    chart
        .addSeries("ranked right (margin > 0)", labels, above)
        .setFillColor(new java.awt.Color(0x3A, 0x7C, 0xC4));
    save(chart, png);
  }

  public static void reliability(PairMetrics m, String title, Path png) throws IOException {
    List<Double> conf = new ArrayList<>();
    List<Double> acc = new ArrayList<>();
    for (PairMetrics.Bin b : m.reliability()) {
      if (b.count() > 0) {
        conf.add(b.confidence());
        acc.add(b.accuracy());
      }
    }
    XYChart chart =
        new XYChartBuilder()
            .width(600)
            .height(600)
            .title(title + String.format(java.util.Locale.ROOT, " (ECE %.3f)", m.ece()))
            .xAxisTitle("confidence max(p, 1 - p)")
            .yAxisTitle("accuracy")
            .build();
    chart.getStyler().setXAxisMin(0.5).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    chart
        .addSeries("perfect calibration", new double[] {0.5, 1.0}, new double[] {0.5, 1.0})
        .setMarker(SeriesMarkers.NONE);
    if (!conf.isEmpty()) {
      XYSeries s = chart.addSeries("model", conf, acc);
      s.setMarker(SeriesMarkers.CIRCLE);
    }
    save(chart, png);
  }

  /**
   * Lines over a shared x axis, e.g. loss per epoch or accuracy per SER loop; NaN points are left
   * out.
   */
  public static void lines(
      String title,
      String xTitle,
      String yTitle,
      double[] x,
      java.util.Map<String, double[]> series,
      Path png)
      throws IOException {
    lines(title, xTitle, yTitle, x, series, false, png);
  }

  /** {@link #lines}, with a logarithmic x axis where {@code logX}. */
  public static void lines(
      String title,
      String xTitle,
      String yTitle,
      double[] x,
      java.util.Map<String, double[]> series,
      boolean logX,
      Path png)
      throws IOException {
    XYChart chart = xyChart(title, xTitle, yTitle);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    if (logX) {
      chart.getStyler().setXAxisLogarithmic(true);
    }
    if (logX || series.size() > 4) { // many lines: the legend beside the plot, not over it
      chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
    }
    for (var e : series.entrySet()) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int i = 0; i < x.length; i++) {
        if (!Double.isNaN(e.getValue()[i])) {
          xs.add(x[i]);
          ys.add(e.getValue()[i]);
        }
      }
      if (!xs.isEmpty()) {
        chart.addSeries(e.getKey(), xs, ys).setMarker(SeriesMarkers.CIRCLE);
      }
    }
    save(chart, png);
  }

  /**
   * Means with symmetric error bars ({@code halfWidth}, for example a 95% interval) at {@code x},
   * over a dashed zero line: paired gains and whether their intervals clear zero.
   */
  public static void intervals(
      String title,
      String xTitle,
      String yTitle,
      double[] x,
      double[] mean,
      double[] halfWidth,
      Path png)
      throws IOException {
    XYChart chart = xyChart(title, xTitle, yTitle);
    chart.getStyler().setLegendVisible(false);
    double lo = java.util.Arrays.stream(x).min().orElse(0);
    double hi = java.util.Arrays.stream(x).max().orElse(1);
    chart
        .addSeries("zero", new double[] {lo, hi}, new double[] {0, 0})
        .setMarker(SeriesMarkers.NONE)
        .setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
    chart
        .addSeries("gain", x, mean, halfWidth)
        .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter)
        .setMarker(SeriesMarkers.CIRCLE);
    save(chart, png);
  }

  private static XYChart xyChart(String title, String xTitle, String yTitle) {
    return new XYChartBuilder()
        .width(800)
        .height(500)
        .title(title)
        .xAxisTitle(xTitle)
        .yAxisTitle(yTitle)
        .build();
  }

  /**
   * Accuracy where the chosen answer has more of a style and where it has less, a pair of bars per
   * style: a style-biased RM shows a tall and a short bar.
   */
  public static void styleSplits(List<StyleSplit> splits, String title, Path png)
      throws IOException {
    List<String> styles = new ArrayList<>();
    List<Double> more = new ArrayList<>();
    List<Double> less = new ArrayList<>();
    for (StyleSplit s : splits) {
      styles.add(s.style());
      more.add(s.accuracyChosenMore() == null ? 0 : s.accuracyChosenMore());
      less.add(s.accuracyChosenLess() == null ? 0 : s.accuracyChosenLess());
    }
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(700)
            .height(450)
            .title(title)
            .xAxisTitle("style")
            .yAxisTitle("pair accuracy")
            .build();
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
    chart
        .addSeries("the chosen answer has more (longer)", styles, more)
        .setFillColor(new java.awt.Color(0x3A, 0x7C, 0xC4));
    chart
        .addSeries("the chosen answer has less (shorter)", styles, less)
        .setFillColor(new java.awt.Color(0xD6, 0x45, 0x45));
    save(chart, png);
  }

  private static void save(Chart<?, ?> chart, Path png) throws IOException {
    AtomicFiles.write(
        png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
  }
}
