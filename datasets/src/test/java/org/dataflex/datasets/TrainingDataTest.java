package org.dataflex.datasets;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.dataflex.datasets.tokenizer.TextTokenizer;
import org.dataflex.datasets.tokenizer.Tokenizers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingDataTest {
    private static SparkSession spark;
    private static final TextTokenizer GPT2 = Tokenizers.load("gpt2");
    private static final int EOS = 50256;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = SparkTestSession.start("TrainingDataTest");
    }

    @AfterAll
    static void stopSpark() {
        SparkTestSession.stop(spark);
    }

    private void info(String json) throws Exception {
        Files.writeString(dir.resolve("dataset_info.json"), json);
    }

    private DataRequest sft(String datasets, boolean skip, int partitions) {
        return new DataRequest(List.of(datasets), dir.toString(), "sft", "default", 256, null, skip, partitions);
    }

    private List<Example> collect(DataRequest request) {
        LoadedData data = TrainingData.load(spark, request, GPT2);
        try {
            return data.examples().collect();
        } finally {
            data.unpersist();
        }
    }

    @Test
    void sftAlpacaMasksPromptsAndTrainsResponses() throws Exception {
        info("{\"qa\": {\"file_name\": \"qa.jsonl\", \"columns\": {\"system\": \"system\"}}}");
        Files.writeString(dir.resolve("qa.jsonl"), """
                {"instruction": "Add the numbers", "input": "2 and 3", "output": "5"}

                {"instruction": "Name a colour", "output": "Blue", "system": "Be short."}
                """);
        LoadedData data = TrainingData.load(spark, sft("qa", false, 0), GPT2);
        List<Example> examples = data.examples().collect();
        assertEquals(List.of("qa:0", "qa:1"), examples.stream().map(Example::id).toList());
        assertEquals("qa", examples.get(0).domain());
        assertEquals(0, data.skippedRows());
        assertEquals(2L, data.countsByDataset().get("qa"));
        String first = GPT2.decode(examples.get(0).inputIds());
        assertEquals("Human: Add the numbers\n2 and 3\nAssistant:5<|endoftext|>\n", first);
        assertTrue(GPT2.decode(examples.get(1).inputIds()).startsWith("System: Be short.\nHuman: Name a colour"));
        for (Example ex : examples) {
            int[] in = ex.inputIds();
            int[] labels = ex.labels();
            int firstLoss = IntStream.range(0, labels.length).filter(t -> labels[t] != Example.IGNORE_INDEX).findFirst().orElseThrow();
            for (int t = firstLoss; t < labels.length; t++) assertEquals(in[t], labels[t], "response tokens carry loss");
            String prompt = GPT2.decode(Arrays.copyOf(in, firstLoss));
            assertTrue(prompt.endsWith("Assistant:"), prompt);
            assertEquals(EOS, labels[labels.length - 2], "eos carries loss");
        }
        data.unpersist();
    }

    @Test
    void malformedJsonLineNamesFileAndLine() throws Exception {
        info("{\"qa\": {\"file_name\": \"qa.jsonl\"}}");
        Path file = dir.resolve("qa.jsonl");
        Files.writeString(file, """
                {"instruction": "a", "output": "b"}
                {"instruction": "broken", "output":
                {"instruction": "c", "output": "d"}
                """);
        DataFormatException e = assertThrows(DataFormatException.class, () -> collect(sft("qa", false, 2)));
        assertTrue(e.getMessage().contains(file + ":2: invalid JSON"), e.getMessage());
    }

    @Test
    void missingRequiredFieldNamesFileAndLine() throws Exception {
        info("{\"qa\": {\"file_name\": \"qa.jsonl\"}}");
        Files.writeString(dir.resolve("qa.jsonl"), "{\"instruction\": \"a\", \"output\": \"b\"}\n{\"instruction\": \"x\"}\n");
        DataFormatException missing = assertThrows(DataFormatException.class, () -> collect(sft("qa", false, 1)));
        assertTrue(missing.getMessage().contains("qa.jsonl:2: missing field 'output'"), missing.getMessage());
    }

    @Test
    void skipBadRowsSkipsAndCounts() throws Exception {
        info("{\"qa\": {\"file_name\": \"qa.jsonl\"}}");
        Files.writeString(dir.resolve("qa.jsonl"), """
                {"instruction": "a", "output": "b"}
                {"instruction": "broken", "output":
                {"instruction": "no output"}
                {"instruction": "c", "output": 7}
                {"instruction": "c", "output": "  "}
                [1, 2]
                {"instruction": "e", "output": "f"}
                """);
        LoadedData data = TrainingData.load(spark, sft("qa", true, 3), GPT2);
        assertEquals(5, data.skippedRows());
        List<Example> examples = data.examples().collect();
        assertEquals(List.of("qa:0", "qa:6"), examples.stream().map(Example::id).toList());
        assertEquals("Human: e\nAssistant:f<|endoftext|>\n", GPT2.decode(examples.get(1).inputIds()));
        data.unpersist();
    }

    @Test
    void jsonArrayRowsNameTheirLine() throws Exception {
        info("{\"qa\": {\"file_name\": \"qa.json\"}}");
        Files.writeString(dir.resolve("qa.json"), """
                [
                  {"instruction": "a", "output": "b"},
                  {"instruction": "a"}
                ]
                """);
        DataFormatException e = assertThrows(DataFormatException.class, () -> collect(sft("qa", false, 0)));
        assertTrue(e.getMessage().contains("qa.json:3 (element 1): missing field 'output'"), e.getMessage());

        Files.writeString(dir.resolve("qa.json"), "[\n {\"instruction\": \"a\", \"output\": \"b\"},\n {oops}\n]");
        DataFormatException broken = assertThrows(DataFormatException.class, () -> collect(sft("qa", true, 0)));
        assertTrue(broken.getMessage().contains("qa.json:3: invalid JSON array"), broken.getMessage());
    }

    @Test
    void sharegptConversationsWithTags() throws Exception {
        info("""
                {"chat": {"file_name": "chat.jsonl", "formatting": "sharegpt", "columns": {"messages": "messages"},
                          "tags": {"role_tag": "role", "content_tag": "content", "user_tag": "user",
                                   "assistant_tag": "assistant", "system_tag": "system"}}}
                """);
        Files.writeString(dir.resolve("chat.jsonl"), """
                {"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "Q1"}, {"role": "assistant", "content": "A1"}, {"role": "user", "content": "Q2"}, {"role": "assistant", "content": "A2"}]}
                {"messages": [{"role": "user", "content": "Q"}, {"role": "user", "content": "again"}]}
                """);
        DataFormatException e = assertThrows(DataFormatException.class, () -> collect(sft("chat", false, 0)));
        assertTrue(e.getMessage().contains("chat.jsonl:2: message 1 has role user"), e.getMessage());

        List<Example> examples = collect(sft("chat", true, 0));
        assertEquals(1, examples.size());
        Example ex = examples.get(0);
        assertEquals("System: S\nHuman: Q1\nAssistant:A1<|endoftext|>\nHuman: Q2\nAssistant:A2<|endoftext|>\n",
                GPT2.decode(ex.inputIds()));
        List<Integer> trained = new ArrayList<>();
        for (int l : ex.labels()) if (l != Example.IGNORE_INDEX) trained.add(l);
        assertEquals("A1<|endoftext|>\nA2<|endoftext|>\n",
                GPT2.decode(trained.stream().mapToInt(Integer::intValue).toArray()));
    }

    @Test
    void pretrainingPacksFixedBlocksWithEosBetweenDocuments() throws Exception {
        info("{\"wiki\": {\"file_name\": \"wiki.jsonl\", \"columns\": {\"prompt\": \"text\"}}}");
        List<String> docs = List.of("Hello world", "The quick brown fox jumps", "A", "over the lazy dog again and again");
        StringBuilder jsonl = new StringBuilder();
        List<Integer> stream = new ArrayList<>();
        for (String d : docs) {
            jsonl.append("{\"text\": \"").append(d).append("\"}\n");
            for (int id : GPT2.encode(d)) stream.add(id);
            stream.add(EOS);
        }
        Files.writeString(dir.resolve("wiki.jsonl"), jsonl.toString());
        int block = 4;
        DataRequest request = new DataRequest(List.of("wiki"), dir.toString(), "pt", "default", block, null, false, 3);
        LoadedData data = TrainingData.load(spark, request, GPT2);
        List<Example> blocks = data.examples().collect();
        assertEquals(stream.size() / block, blocks.size());
        assertEquals((long) blocks.size(), data.countsByDataset().get("wiki"));
        assertEquals(3, data.examples().getNumPartitions());
        for (int b = 0; b < blocks.size(); b++) {
            Example ex = blocks.get(b);
            assertEquals("wiki:" + b, ex.id());
            assertEquals(block, ex.length());
            assertArrayEquals(ex.inputIds(), ex.labels());
            for (int t = 0; t < block; t++) assertEquals(stream.get(b * block + t), ex.inputIds()[t]);
        }
        assertEquals(EOS, blocks.get(0).inputIds()[2], "eos right after 'Hello world'");
        data.unpersist();

        DataRequest tooLong = new DataRequest(List.of("wiki"), dir.toString(), "pt", null, 1000, null, false, 0);
        DataFormatException e = assertThrows(DataFormatException.class, () -> collect(tooLong));
        assertTrue(e.getMessage().contains("do not fill one block of cutoff_len 1000"), e.getMessage());
    }

    @Test
    void sameExamplesForOneAndFourPartitions() throws Exception {
        info("""
                {"pt_a": {"file_name": "pt_a", "columns": {"prompt": "text"}},
                 "pt_b": {"file_name": "pt_b.json", "columns": {"prompt": "text"}},
                 "qa": {"file_name": "qa.jsonl"}}
                """);
        Random rnd = new Random(11);
        Files.createDirectories(dir.resolve("pt_a"));
        for (String part : List.of("part-0.jsonl", "part-1.jsonl")) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 60; i++) sb.append("{\"text\": \"").append(sentence(rnd)).append("\"}\n");
            Files.writeString(dir.resolve("pt_a").resolve(part), sb.toString());
        }
        StringBuilder array = new StringBuilder("[\n");
        for (int i = 0; i < 40; i++) array.append(i == 0 ? "" : ",\n").append("{\"text\": \"").append(sentence(rnd)).append("\"}");
        Files.writeString(dir.resolve("pt_b.json"), array.append("\n]\n").toString());
        StringBuilder qa = new StringBuilder();
        for (int i = 0; i < 80; i++) {
            qa.append("{\"instruction\": \"").append(sentence(rnd)).append("\", \"output\": \"").append(sentence(rnd)).append("\"}\n");
        }
        Files.writeString(dir.resolve("qa.jsonl"), qa.toString());

        for (String stage : List.of("pt", "sft")) {
            List<String> names = stage.equals("pt") ? List.of("pt_a,pt_b") : List.of("qa");
            DataRequest one = new DataRequest(names, dir.toString(), stage, "qwen", 32, null, false, 1);
            DataRequest four = new DataRequest(names, dir.toString(), stage, "qwen", 32, null, false, 4);
            List<Example> a = collect(one);
            List<Example> b = collect(four);
            assertTrue(a.size() > 20, stage + ": " + a.size());
            assertEquals(a, b, stage + ": identical ids, tokens, labels and order");
        }
        LoadedData mixed = TrainingData.load(spark,
                new DataRequest(List.of("pt_a", "pt_b"), dir.toString(), "pt", null, 32, 10, false, 4), GPT2);
        assertEquals(List.of("pt_a", "pt_b"), List.copyOf(mixed.countsByDataset().keySet()));
        List<Example> all = mixed.examples().collect();
        assertEquals(mixed.totalExamples(), all.size());
        assertEquals("pt_a:0", all.get(0).id());
        assertEquals("pt_b", all.get(all.size() - 1).domain());
        mixed.unpersist();
    }

    @Test
    void parquetThroughTheRegistryAndMaxSamples() throws Exception {
        StructType schema = new StructType()
                .add("question", DataTypes.StringType)
                .add("answer", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 12; i++) rows.add(RowFactory.create("question " + i, "answer " + i));
        Dataset<Row> df = spark.createDataFrame(rows, schema).coalesce(1);
        df.write().parquet(dir.resolve("qa_parquet").toString());
        info("{\"qa\": {\"file_name\": \"qa_parquet\", \"columns\": {\"prompt\": \"question\", \"response\": \"answer\"}}}");

        List<Example> examples = collect(sft("qa", false, 2));
        assertEquals(12, examples.size());
        assertEquals("qa:0", examples.get(0).id());
        assertEquals("Human: question 0\nAssistant:answer 0<|endoftext|>\n", GPT2.decode(examples.get(0).inputIds()));
        assertEquals("Human: question 11\nAssistant:answer 11<|endoftext|>\n", GPT2.decode(examples.get(11).inputIds()));

        DataRequest limited = new DataRequest(List.of("qa"), dir.toString(), "sft", "default", 256, 5, false, 0);
        assertEquals(List.of("qa:0", "qa:1", "qa:2", "qa:3", "qa:4"), collect(limited).stream().map(Example::id).toList());
    }

    @Test
    void requestValidation() {
        assertEquals(List.of("a", "b", "c"),
                new DataRequest(List.of("a, b", "c"), null, "SFT", null, 8, null, false, 0).datasets());
        assertThrows(IllegalArgumentException.class, () -> new DataRequest(List.of("a,a"), null, "sft", null, 8, null, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new DataRequest(List.of("a"), null, "dpo", null, 8, null, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new DataRequest(List.of("a"), null, "pt", null, 0, null, false, 0));
    }

    private static String sentence(Random rnd) {
        String[] words = {"data", "model", "select", "mix", "weight", "token", "loss", "spark", "über", "日本"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0, n = 3 + rnd.nextInt(12); i < n; i++) sb.append(i == 0 ? "" : " ").append(words[rnd.nextInt(words.length)]);
        return sb.toString();
    }
}
