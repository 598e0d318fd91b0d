package org.dataflex.datasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetRegistryTest {
    @TempDir
    Path dir;

    private DatasetRegistry registry() throws Exception {
        Files.writeString(dir.resolve("dataset_info.json"), """
                {
                  "alpaca_en_demo": {"file_name": "alpaca.json"},
                  "alpaca_zh_demo": {"file_name": "alpaca_zh.json"},
                  "wiki_demo": {"file_name": "wiki.jsonl", "columns": {"prompt": "text"}},
                  "chats": {"file_name": "chats", "formatting": "sharegpt",
                            "columns": {"messages": "messages"},
                            "tags": {"role_tag": "role", "content_tag": "content", "user_tag": "user",
                                     "assistant_tag": "assistant"}},
                  "alpaca_en": {"hf_hub_url": "llamafactory/alpaca_en", "ms_hub_url": "llamafactory/alpaca_en"},
                  "ultra_chat": {"script_url": "ultra_chat", "formatting": "sharegpt"}
                }
                """);
        Files.writeString(dir.resolve("alpaca.json"), "[]");
        Files.writeString(dir.resolve("wiki.jsonl"), "{\"text\": \"x\"}\n");
        Files.createDirectories(dir.resolve("chats"));
        Files.writeString(dir.resolve("chats/b.jsonl"), "{}\n");
        Files.writeString(dir.resolve("chats/a.jsonl"), "{}\n");
        Files.writeString(dir.resolve("chats/_SUCCESS"), "");
        Files.writeString(dir.resolve("chats/.a.jsonl.crc"), "");
        return DatasetRegistry.load(dir.toString());
    }

    @Test
    void readsEntriesWithLlamaFactoryDefaults() throws Exception {
        DatasetRegistry r = registry();
        assertEquals(6, r.names().size());
        DatasetEntry alpaca = r.get("alpaca_en_demo");
        assertEquals(DatasetEntry.Formatting.ALPACA, alpaca.formatting());
        assertEquals("instruction", alpaca.column("prompt"));
        assertEquals("input", alpaca.column("query"));
        assertEquals("output", alpaca.column("response"));
        assertNull(alpaca.column("history"));
        assertEquals("text", r.get("wiki_demo").column("prompt"));
        DatasetEntry chats = r.get("chats");
        assertEquals(DatasetEntry.Formatting.SHAREGPT, chats.formatting());
        assertEquals("role", chats.tag("role_tag"));
        assertEquals("observation", chats.tag("observation_tag"));
        assertEquals(2, chats.dataFiles().size());
        assertTrue(chats.dataFiles().get(0).endsWith("chats/a.jsonl"), chats.dataFiles().toString());
        assertTrue(chats.dataFiles().get(1).endsWith("chats/b.jsonl"));
    }

    @Test
    void unknownNameListsCloseNames() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry().get("alpaca_demo"));
        assertTrue(e.getMessage().contains("unknown dataset 'alpaca_demo'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean "), e.getMessage());
        assertTrue(e.getMessage().contains("alpaca_en_demo") && e.getMessage().contains("alpaca_zh_demo"), e.getMessage());
        assertTrue(!e.getMessage().contains("wiki_demo"), e.getMessage());
    }

    @Test
    void hubOnlyEntryNeedsLocalCopy() throws Exception {
        DatasetRegistry r = registry();
        IllegalArgumentException hub = assertThrows(IllegalArgumentException.class, () -> r.get("alpaca_en"));
        assertTrue(hub.getMessage().contains("hf_hub_url=llamafactory/alpaca_en"), hub.getMessage());
        assertTrue(hub.getMessage().contains("file_name"), hub.getMessage());
        IllegalArgumentException script = assertThrows(IllegalArgumentException.class, () -> r.get("ultra_chat"));
        assertTrue(script.getMessage().contains("script_url=ultra_chat"), script.getMessage());
    }

    @Test
    void missingDataFileNamesThePath() throws Exception {
        DataFormatException e = assertThrows(DataFormatException.class, () -> registry().get("alpaca_zh_demo"));
        assertTrue(e.getMessage().contains(dir.resolve("alpaca_zh.json").toString()), e.getMessage());
    }

    @Test
    void badRegistryFilesNameTheProblem() throws Exception {
        Files.writeString(dir.resolve("dataset_info.json"), "{\n  \"a\": {\"file_name\": \"x.json\",\n  }\n");
        DataFormatException syntax = assertThrows(DataFormatException.class, () -> DatasetRegistry.load(dir.toString()));
        assertTrue(syntax.getMessage().contains("dataset_info.json:3"), syntax.getMessage());

        Files.writeString(dir.resolve("dataset_info.json"), "{\"a\": {\"file_name\": \"x.json\", \"formatting\": \"chatml\"}}");
        DataFormatException formatting = assertThrows(DataFormatException.class, () -> DatasetRegistry.load(dir.toString()));
        assertTrue(formatting.getMessage().contains("'a'") && formatting.getMessage().contains("chatml"));

        Files.writeString(dir.resolve("dataset_info.json"), "{\"a\": {\"file_name\": \"x.json\", \"columns\": {\"promt\": \"q\"}}}");
        DataFormatException column = assertThrows(DataFormatException.class, () -> DatasetRegistry.load(dir.toString()));
        assertTrue(column.getMessage().contains("did you mean prompt"), column.getMessage());

        DataFormatException missing = assertThrows(DataFormatException.class,
                () -> DatasetRegistry.load(dir.resolve("nowhere").toString()));
        assertTrue(missing.getMessage().contains("nowhere"), missing.getMessage());
    }

    @Test
    void readsTheReferenceDatasetInfo() {
        String root = System.getProperty("dataflex.repo.root", "..");
        Path reference = Path.of(root).resolve("../shared/reference/dataflex-3c13e37").normalize();
        if (!Files.exists(reference.resolve("dataset_info.json"))) {
            reference = Path.of("/work/shared/reference/dataflex-3c13e37");
        }
        DatasetRegistry r = DatasetRegistry.load(reference.toString());
        assertTrue(r.names().contains("wiki_demo"));
        assertTrue(r.names().contains("glaive_toolcall_en_demo"));
        DataFormatException e = assertThrows(DataFormatException.class, () -> r.get("wiki_demo"));
        assertTrue(e.getMessage().contains("wiki_demo.jsonl"), e.getMessage());
    }
}
