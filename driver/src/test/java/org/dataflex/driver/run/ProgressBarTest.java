package org.dataflex.driver.run;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void rendersStepsLossRateThroughputAndEta() {
        ProgressBar bar = new ProgressBar(new PrintStream(new ByteArrayOutputStream()), 0, 100, false);
        String line = bar.render(25, 3.14159, 1e-3, 4321, 30);
        assertTrue(line.startsWith("[#######....................."), line);
        assertTrue(line.contains("25/100"), line);
        assertTrue(line.contains("loss 3.1416"), line);
        assertTrue(line.contains("lr 1.00e-03"), line);
        assertTrue(line.contains("4,321 tok/s"), line);
        assertTrue(line.contains("0:30 elapsed"), line);
        assertTrue(line.endsWith("ETA 1:30"), line);
        assertEquals("1:01:01", ProgressBar.clock(3661));
    }

    @Test
    void nonInteractiveOutputPrintsTheLastStep() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(out, true), 0, 10, false);
        bar.update(5, 2.0, 1e-3, 100);
        bar.update(10, 1.0, 1e-3, 100);
        String text = out.toString();
        assertTrue(text.contains("10/10"), text);
        assertFalse(text.contains("\r"), "no carriage returns in logs");
    }
}
