package org.dataflex.datasets.tokenizer;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Gpt2TokenizerTest {
    private final TextTokenizer gpt2 = Tokenizers.load("gpt2");

    @Test
    void encodesKnownGpt2Ids() {
        assertArrayEquals(new int[] {15496, 995}, gpt2.encode("Hello world"));
        assertArrayEquals(new int[] {23748}, gpt2.encode(" hello"));
        assertArrayEquals(new int[] {31373}, gpt2.encode("hello"));
        assertArrayEquals(new int[] {0}, gpt2.encode("!"));
        assertArrayEquals(new int[] {198}, gpt2.encode("\n"));
        assertEquals("Hello world", gpt2.decode(new int[] {15496, 995}));
    }

    @Test
    void hasGpt2Vocabulary() {
        assertEquals(50257, gpt2.vocabSize());
        assertEquals(50256, gpt2.eosId());
        assertEquals(50256, gpt2.padId());
        assertEquals(50256, gpt2.specialTokenId("<|endoftext|>").getAsInt());
        assertTrue(gpt2.specialTokenId("<|im_start|>").isEmpty());
        assertArrayEquals(gpt2.encode("x"), Tokenizers.load("r50k_base").encode("x"));
    }

    @Test
    void specialStringsInTextAreOrdinaryText() {
        String text = "before <|endoftext|> after";
        int[] ids = gpt2.encode(text);
        assertFalse(Arrays.stream(ids).anyMatch(id -> id == 50256));
        assertEquals(text, gpt2.decode(ids));
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(gpt2);
        }
        TextTokenizer copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (TextTokenizer) in.readObject();
        }
        assertArrayEquals(new int[] {15496, 995}, copy.encode("Hello world"));
        assertSame(TiktokenTokenizer.class, copy.getClass());
    }

    @Test
    void rejectsUnknownSpecAndOutOfRangeIds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tokenizers.load("/no/such/tokenizer/dir"));
        assertTrue(e.getMessage().contains("/no/such/tokenizer/dir"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gpt2.decode(new int[] {50257}));
    }
}
