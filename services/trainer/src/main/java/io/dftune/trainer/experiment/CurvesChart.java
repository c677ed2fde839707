package io.dftune.trainer.experiment;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Training curves of every arm at its chosen learning rate: the objective's loss, the NLL and the
 * mean target probability per step, averaged over seeds and smoothed with a moving average.
 */
final class CurvesChart {
    private static final List<ToDoubleFunction<CurvePoint>> METRICS =
            List.of(CurvePoint::loss, CurvePoint::nll, CurvePoint::meanTargetProb);
    private static final String[] LABELS = {"objective loss", "NLL", "mean target probability"};
    private static final int SMOOTHING = 10;
    /** One colour per arm, the same in every panel. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4),
        new Color(0xd62728),
        new Color(0x2ca02c),
        new Color(0x9467bd),
        new Color(0xff7f0e),
        new Color(0x17becf),
        new Color(0x8c564b),
        new Color(0xe377c2),
        new Color(0x7f7f7f),
        new Color(0xbcbd22)
    };

    private final ExperimentResults results;

    CurvesChart(ExperimentResults results) {
        this.results = results;
    }

    void writePng(Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(new NumberAxis("optimizer step"));
        for (int m = 0; m < METRICS.size(); m++) {
            XYSeriesCollection series = new XYSeriesCollection();
            for (ExperimentPlan.Arm arm : results.plan().arms()) {
                series.addSeries(curve(arm.name(), METRICS.get(m)));
            }
            NumberAxis axis = new NumberAxis(LABELS[m]);
            axis.setAutoRangeIncludesZero(false);
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
            for (int arm = 0; arm < series.getSeriesCount(); arm++) {
                renderer.setSeriesPaint(arm, PALETTE[arm % PALETTE.length]);
                renderer.setSeriesStroke(arm, new BasicStroke(1.6f));
            }
            // The panels share their series; one legend is enough.
            renderer.setDefaultSeriesVisibleInLegend(m == 0);
            XYPlot plot = new XYPlot(series, null, axis, renderer);
            plot.setBackgroundPaint(Color.WHITE);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
            plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
            combined.add(plot);
        }
        JFreeChart chart = new JFreeChart(
                "training curves (mean over seeds, chosen learning rates)",
                JFreeChart.DEFAULT_TITLE_FONT,
                combined,
                true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 1000);
    }

    private XYSeries curve(String arm, ToDoubleFunction<CurvePoint> metric) {
        TreeMap<Long, double[]> sums = new TreeMap<>();
        for (RunScores run : results.runsOf(arm)) {
            for (CurvePoint point : results.curves().getOrDefault(run.key(), List.of())) {
                double[] sum = sums.computeIfAbsent(point.step(), s -> new double[2]);
                sum[0] += metric.applyAsDouble(point);
                sum[1]++;
            }
        }
        List<double[]> points = sums.entrySet().stream()
                .map(e -> new double[] {e.getKey(), e.getValue()[0] / e.getValue()[1]})
                .toList();
        XYSeries series = new XYSeries(arm);
        for (int i = 0; i < points.size(); i++) {
            int from = Math.max(0, i - SMOOTHING + 1);
            double mean = points.subList(from, i + 1).stream()
                    .mapToDouble(p -> p[1])
                    .average()
                    .orElseThrow();
            series.add(points.get(i)[0], mean);
        }
        return series;
    }
}
