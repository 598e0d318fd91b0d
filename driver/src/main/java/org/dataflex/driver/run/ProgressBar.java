package org.dataflex.driver.run;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line console progress bar: steps, loss, learning rate, tokens/s and ETA. On a terminal it redraws in
 * place; otherwise (logs, CI) it prints a line at most every few seconds so logs stay readable.
 */
public final class ProgressBar {
    private static final int WIDTH = 28;
    private final PrintStream out;
    private final int total;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private final int startStep;
    private long lastPrintNanos;

    public ProgressBar(PrintStream out, int startStep, int total, boolean interactive) {
        this.out = out;
        this.total = total;
        this.startStep = startStep;
        this.interactive = interactive;
    }

    public static ProgressBar onStderr(int startStep, int total) {
        return new ProgressBar(System.err, startStep, total, System.console() != null);
    }

    public void update(int step, double loss, double lr, double tokensPerSecond) {
        long now = System.nanoTime();
        if (!interactive && step < total && now - lastPrintNanos < 5_000_000_000L) return;
        lastPrintNanos = now;
        String line = render(step, loss, lr, tokensPerSecond, (now - startNanos) / 1e9);
        if (interactive) {
            out.print("\r" + line);
            if (step >= total) out.println();
        } else {
            out.println(line);
        }
        out.flush();
    }

    String render(int step, double loss, double lr, double tokensPerSecond, double elapsedSeconds) {
        double fraction = total == 0 ? 1 : Math.min(1, (double) step / total);
        int filled = (int) Math.round(fraction * WIDTH);
        int done = step - startStep;
        double eta = done > 0 ? elapsedSeconds / done * (total - step) : Double.NaN;
        return String.format(Locale.ROOT, "[%s%s] %d/%d  loss %.4f  lr %.2e  %,.0f tok/s  %s elapsed  ETA %s",
                "#".repeat(filled), ".".repeat(WIDTH - filled), step, total, loss, lr, tokensPerSecond,
                clock(elapsedSeconds), Double.isNaN(eta) ? "?" : clock(eta));
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
