package org.dataflex.driver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NameSuggestionsTest {
    @Test
    void distanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, NameSuggestions.distance("seed", "seed"));
        assertEquals(1, NameSuggestions.distance("learnig_rate", "learning_rate"));
        assertEquals(2, NameSuggestions.distance("warmup_ratoi", "warmup_ratio"));
        assertEquals(3, NameSuggestions.distance("kitten", "sitting"));
        assertEquals(4, NameSuggestions.distance("", "abcd"));
    }

    @Test
    void closestNamesAreOrderedAndBounded() {
        List<String> valid = List.of("warmup_step", "warmup_steps", "warmup_ratio", "update_step", "seed");
        assertEquals(List.of("warmup_step", "warmup_steps"), NameSuggestions.closest("warmup_stp", valid));
        assertEquals(List.of(), NameSuggestions.closest("completely_different", valid));
        assertEquals("no similar key is known", NameSuggestions.hint("zzz", valid));
    }
}
