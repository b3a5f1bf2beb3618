package org.ser4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.InputStrategy;
import org.ser4j.model.head.FeatureNormalizer;
import org.ser4j.model.head.HeadModel;
import org.ser4j.model.head.LinearHead;
import org.ser4j.testing.TestEncoders;

/** Stopping the server lets a request in flight finish. */
class GracefulShutdownTest {
  @Test
  void aRequestInFlightFinishes() throws Exception {
    try (Featurizer f =
        TestEncoders.open(TestEncoders.config("minilm-l6-q", InputStrategy.RESPONSE, 128), null)) {
      float[] zeros = new float[f.dimension()];
      float[] ones = new float[f.dimension()];
      java.util.Arrays.fill(ones, 1);
      HeadModel model =
          new HeadModel(
              f.config(),
              new FeatureNormalizer(zeros, ones),
              new LinearHead(f.dimension()),
              org.ser4j.model.Provenance.UNKNOWN);
      RewardServer server =
          new RewardServer(
              new org.ser4j.model.head.FeatureScorer(model, f),
              "m",
              RewardServer.Limits.defaults());
      int port = server.start("127.0.0.1", 0);
      ObjectNode body = new ObjectMapper().createObjectNode();
      ArrayNode q = body.putArray("query");
      for (int i = 0; i < 300; i++) {
        q.add(
            "\n\nHuman: tell me fact number "
                + i
                + "\n\nAssistant: fact "
                + i
                + " is that "
                + i
                + " squared is "
                + (i * i)
                + ".");
      }
      HttpClient http = HttpClient.newHttpClient();
      CompletableFuture<HttpResponse<String>> inFlight =
          http.sendAsync(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/get_reward"))
                  .timeout(Duration.ofMinutes(2))
                  .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      // Stop once the request is in flight: /health counts itself and every request being
      // served (a fixed sleep raced a loaded machine, where the request came after the stop).
      long deadline = System.currentTimeMillis() + 60_000;
      while (!inFlight.isDone() && System.currentTimeMillis() < deadline) {
        HttpResponse<String> health =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (new ObjectMapper().readTree(health.body()).get("in_flight").asInt() >= 2) {
          break;
        }
        Thread.sleep(10);
      }
      server.stop(60_000);
      HttpResponse<String> resp = inFlight.get();
      assertEquals(200, resp.statusCode(), resp.body());
      assertEquals(300, new ObjectMapper().readTree(resp.body()).get("rewards").size());
    }
  }
}
