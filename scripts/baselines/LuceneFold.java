// Baseline (e) of scripts/eval-baselines: Lucene BM25 through Anserini with a folding analyzer.
//
// Anserini 0.22's IndexCollection/SearchCollection choose their analyzer from -language (a Lucene
// language analyzer, else its English default: Porter stemming and English stop words) and offer no
// ASCII folding; -language vi silently gets the English analyzer. Both accept -pretokenized input
// (whitespace-separated tokens, analysed with Lucene's WhitespaceAnalyzer). So this class runs Lucene's
// own CustomAnalyzer, StandardTokenizer + LowerCaseFilter + ASCIIFoldingFilter, over the documents and
// the queries, and Anserini indexes and searches the tokens with its usual BM25 (k1 0.9, b 0.4).
//
//   java -cp anserini-fatjar.jar:CLASSES LuceneFold DOCS.jsonl COLLECTION_DIR QUERIES.tsv TOPICS.tsv
//
// DOCS.jsonl: {"id", "title", "body"} lines (scripts/baselines/corpus.py); COLLECTION_DIR receives
// Anserini JsonCollection files ({"id", "contents"}, contents = analysed title + body) in a few shards so
// that IndexCollection's threads share the work; QUERIES.tsv is queries.tsv (id need class query);
// TOPICS.tsv receives `id <TAB> analysed query` for SearchCollection's TsvString topic reader.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.LowerCaseFilterFactory;
import org.apache.lucene.analysis.custom.CustomAnalyzer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilterFactory;
import org.apache.lucene.analysis.standard.StandardTokenizerFactory;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

public class LuceneFold {
  static final int SHARDS = 4;

  static String analyze(Analyzer analyzer, String text) throws IOException {
    StringBuilder out = new StringBuilder();
    try (TokenStream ts = analyzer.tokenStream("contents", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        if (out.length() > 0) {
          out.append(' ');
        }
        out.append(term);
      }
      ts.end();
    }
    return out.toString();
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println("usage: LuceneFold DOCS.jsonl COLLECTION_DIR QUERIES.tsv TOPICS.tsv");
      System.exit(2);
    }
    Analyzer analyzer =
        CustomAnalyzer.builder()
            .withTokenizer(StandardTokenizerFactory.class)
            .addTokenFilter(LowerCaseFilterFactory.class)
            .addTokenFilter(ASCIIFoldingFilterFactory.class)
            .build();
    ObjectMapper json = new ObjectMapper();

    Path collection = Paths.get(args[1]);
    Files.createDirectories(collection);
    List<BufferedWriter> shards = new ArrayList<>();
    for (int i = 0; i < SHARDS; i++) {
      shards.add(
          Files.newBufferedWriter(
              collection.resolve("docs" + i + ".jsonl"), StandardCharsets.UTF_8));
    }
    int n = 0;
    try (BufferedReader in = Files.newBufferedReader(Paths.get(args[0]), StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode doc = json.readTree(line);
        ObjectNode out = json.createObjectNode();
        out.put("id", doc.get("id").asText());
        out.put(
            "contents",
            analyze(analyzer, doc.get("title").asText() + "\n" + doc.get("body").asText()));
        BufferedWriter w = shards.get(n % SHARDS);
        w.write(json.writeValueAsString(out));
        w.write('\n');
        n++;
      }
    }
    for (BufferedWriter w : shards) {
      w.close();
    }

    int q = 0;
    List<String> lines = Files.readAllLines(Paths.get(args[2]), StandardCharsets.UTF_8);
    try (BufferedWriter topics = Files.newBufferedWriter(Paths.get(args[3]), StandardCharsets.UTF_8)) {
      for (String line : lines.subList(1, lines.size())) {
        String[] cols = line.split("\t");
        if (cols.length < 4) {
          continue;
        }
        topics.write(cols[0] + "\t" + analyze(analyzer, cols[3]) + "\n");
        q++;
      }
    }
    System.err.printf("LuceneFold: %d documents, %d queries analysed%n", n, q);
  }
}
