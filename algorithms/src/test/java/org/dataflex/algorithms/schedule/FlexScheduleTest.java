package org.dataflex.algorithms.schedule;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.stream.Collectors;
import org.dataflex.algorithms.schedule.FlexSchedule.Event;
import org.dataflex.algorithms.schedule.FlexSchedule.Kind;
import org.junit.jupiter.api.Test;

class FlexScheduleTest {

    private static List<Integer> stepsOf(FlexSchedule s, Kind kind) {
        return s.events().stream().filter(e -> e.kind() == kind).map(Event::step).collect(Collectors.toList());
    }

    @Test
    void oracle1_threeFlexEpochsOfThirtySteps() {
        FlexSchedule s = FlexSchedule.plan(1000, 1, 1, 1, 10, 10, 2, 3, 0);
        assertEquals(90, s.maxSteps());
        assertEquals(30, s.epochUpdateSteps());
        assertEquals(List.of(0, 30, 60), stepsOf(s, Kind.WARMUP));
        assertEquals(List.of(10, 20, 40, 50, 70, 80), stepsOf(s, Kind.SELECT));
        assertEquals(new Event(Kind.WARMUP, 0, 10, 0, 0), s.eventAt(0).orElseThrow());
        assertEquals(new Event(Kind.SELECT, 10, 10, 1, 2), s.eventAt(10).orElseThrow());
        assertEquals(new Event(Kind.SELECT, 20, 10, 2, 2), s.eventAt(20).orElseThrow());
        assertEquals(new Event(Kind.SELECT, 40, 10, 1, 2), s.eventAt(40).orElseThrow());
        assertEquals(new Event(Kind.SELECT, 80, 10, 2, 2), s.eventAt(80).orElseThrow());
        assertTrue(s.eventAt(90).isEmpty(), "no event at max_steps");
        assertTrue(s.eventAt(11).isEmpty());
        assertEquals(9, s.events().size());
    }

    @Test
    void oracle2_batchOfEightWithFourSelections() {
        FlexSchedule s = FlexSchedule.plan(1000, 2, 4, 1, 4, 3, 4, 1, 0);
        assertEquals(8, s.totalBatchSize());
        assertEquals(16, s.maxSteps());
        assertEquals(List.of(new Event(Kind.WARMUP, 0, 32, 0, 0),
                new Event(Kind.SELECT, 4, 24, 1, 4), new Event(Kind.SELECT, 7, 24, 2, 4),
                new Event(Kind.SELECT, 10, 24, 3, 4), new Event(Kind.SELECT, 13, 24, 4, 4)), s.events());
    }

    @Test
    void oracle3_negativeUpdateTimesUsesOneDataPassAndDerivedT() {
        FlexSchedule s = FlexSchedule.plan(100, 2, 2, 1, 3, 5, -1, 2, 0);
        assertEquals(25, s.epochUpdateSteps());
        assertEquals(50, s.maxSteps());
        assertEquals(List.of(0, 25), stepsOf(s, Kind.WARMUP));
        assertEquals(List.of(3, 8, 13, 18, 23, 28, 33, 38, 43, 48), stepsOf(s, Kind.SELECT));
        List<Event> selects = s.events().stream().filter(e -> e.kind() == Kind.SELECT).toList();
        for (Event e : selects) {
            assertEquals(5, e.updateTimes(), "T_eff");
            assertEquals(20, e.numIndices());
        }
        assertEquals(List.of(1, 2, 3, 4, 5, 1, 2, 3, 4, 5),
                selects.stream().map(Event::currentUpdateTimes).toList());
        assertEquals(12, s.eventAt(25).orElseThrow().numIndices());
    }

    @Test
    void oracle4_trainStepWithoutUpdateTimesHasNoFlexEpochs() {
        FlexSchedule s = FlexSchedule.plan(1000, 1, 1, 1, 5, 10, -1, 1, 40);
        assertNull(s.epochUpdateSteps());
        assertEquals(40, s.maxSteps());
        assertEquals(List.of(0), stepsOf(s, Kind.WARMUP));
        assertEquals(List.of(5, 15, 25, 35), stepsOf(s, Kind.SELECT));
        for (Event e : s.events()) {
            if (e.kind() == Kind.SELECT) assertEquals(-1, e.updateTimes(), "update_times passed unchanged");
        }
        assertEquals(List.of(1, 2, 3, 4), s.events().stream().filter(e -> e.kind() == Kind.SELECT)
                .map(Event::currentUpdateTimes).toList());
    }

    @Test
    void workedTable_trainStepWithFlexEpochsKeepsRewarming() {
        FlexSchedule s = FlexSchedule.plan(1000, 1, 1, 1, 5, 10, 2, 1, 40);
        assertEquals(25, s.epochUpdateSteps());
        assertEquals(40, s.maxSteps());
        assertEquals(List.of(0, 25), stepsOf(s, Kind.WARMUP));
        assertEquals(List.of(5, 15, 30), stepsOf(s, Kind.SELECT));
        assertEquals(new Event(Kind.SELECT, 30, 10, 1, 2), s.eventAt(30).orElseThrow());
    }

    @Test
    void fractionalEpochsCutTheLastFlexEpoch() {
        FlexSchedule s = FlexSchedule.plan(1000, 1, 1, 1, 10, 10, 2, 1.5, 0);
        assertEquals(45, s.maxSteps());
        assertEquals(List.of(10, 20, 40), stepsOf(s, Kind.SELECT));
        assertEquals(11, FlexSchedule.plan(1000, 1, 1, 1, 1, 1, 9, 1.1, 0).maxSteps());
    }

    @Test
    void selectionAndWarmupSizesFollowTheTotalBatch() {
        FlexSchedule s = FlexSchedule.plan(10_000, 3, 2, 4, 2, 5, 3, 2, 0);
        assertEquals(24, s.totalBatchSize());
        for (Event e : s.events()) {
            int expected = e.kind() == Kind.WARMUP ? 3 * 2 * 4 * 2 : 3 * 2 * 4 * 5;
            assertEquals(expected, e.numIndices());
        }
        assertEquals(6, s.events().stream().filter(e -> e.kind() == Kind.SELECT).count());
    }

    @Test
    void selectionTooLargeForTheDataIsRejectedWithTheProduct() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> FlexSchedule.plan(100, 4, 4, 1, 1, 7, 1, 1, 0));
        assertTrue(e.getMessage().contains(
                "per_device_train_batch_size x gradient_accumulation_steps x update_step = 112 exceeds the 100"
                        + " training examples"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FlexSchedule.plan(60, 4, 2, 2, 1, 4, 1, 1, 0));
        assertTrue(e.getMessage().contains("world_size x update_step = 64 exceeds the 60"), e.getMessage());
    }

    @Test
    void invalidConfigurationsNameTheKey() {
        assertMessage("warmup_step", () -> FlexSchedule.plan(100, 1, 1, 1, 0, 1, 1, 1, 0));
        assertMessage("update_step", () -> FlexSchedule.plan(100, 1, 1, 1, 1, 0, 1, 1, 0));
        assertMessage("warmup_step = 104", () -> FlexSchedule.plan(100, 4, 2, 1, 13, 1, 1, 1, 0));
        assertMessage("num_train_epochs", () -> FlexSchedule.plan(100, 1, 1, 1, 1, 1, 1, 0, 0));
        assertMessage("num_train_epochs", () -> FlexSchedule.plan(100, 1, 1, 1, 1, 1, -1, -2, 0));
        assertMessage("per_device_train_batch_size", () -> FlexSchedule.plan(100, 0, 1, 1, 1, 1, 1, 1, 0));
        assertMessage("gradient_accumulation_steps", () -> FlexSchedule.plan(100, 1, 0, 1, 1, 1, 1, 1, 0));
        assertMessage("world size", () -> FlexSchedule.plan(100, 1, 1, 0, 1, 1, 1, 1, 0));
        assertMessage("empty", () -> FlexSchedule.plan(0, 1, 1, 1, 1, 1, 1, 1, 0));
        // epochs are irrelevant once train_step fixes the length
        assertEquals(7, FlexSchedule.plan(100, 1, 1, 1, 1, 1, 1, 0, 7).maxSteps());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        var e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
