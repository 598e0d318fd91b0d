package org.dataflex.driver.run;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** {@code plots/loss.png}: training loss and eval loss against the optimizer step. */
public final class LossPlot {
    private LossPlot() {}

    public static void write(List<Map<String, Object>> records, Path png, String title) {
        XYSeries train = new XYSeries("train loss");
        XYSeries eval = new XYSeries("eval loss");
        for (Map<String, Object> r : records) {
            Number step = (Number) r.get("step");
            if (step == null) continue;
            if (r.get("loss") instanceof Number) train.addOrUpdate(step, (Number) r.get("loss"));
            if (r.get("eval_loss") instanceof Number) eval.addOrUpdate(step, (Number) r.get("eval_loss"));
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(train);
        if (eval.getItemCount() > 0) data.addSeries(eval);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "step", "loss (nats / token)", data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, new Color(31, 119, 180));
        renderer.setSeriesStroke(0, new BasicStroke(1.5f));
        renderer.setSeriesPaint(1, new Color(214, 39, 40));
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        renderer.setSeriesShapesVisible(1, true);
        plot.setRenderer(renderer);
        BufferedImage image = chart.createBufferedImage(900, 540);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeBytes(png, bytes.toByteArray());
    }
}
