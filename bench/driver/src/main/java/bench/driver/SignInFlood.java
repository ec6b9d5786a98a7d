package bench.driver;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scenario 8(a)'s flood, in a process of its own so that the flood's client work never delays the
 * quiet shops' requests in the measuring process (one event loop each), and warmed up before it
 * floods: it first sends the same attempts for {@code --warmup-seconds} to the gateway from another
 * loopback address ({@link #WARMUP_ADDRESS}, another client to the gateway and the cells, with an
 * allowance of its own), so that this process's JIT and the gateway's refusal path are compiled, as
 * on a gateway that has refused floods before, and the measured flood from {@code 127.0.0.1} still
 * starts with that address's full allowance, at full rate. Its connections to the gateway
 * ({@code --connections}, 64) are opened before the flood too ({@link #prime}).
 *
 * <pre>
 *   signin-flood --gateway=URL --host=SHOP_HOST --rate=R --seconds=S [--rounds=N] --warmup-seconds=W [--connections=N] --out=FILE
 * </pre>
 * Protocol on stdin/stdout: prints {@code ready} after the warm-up, then for each of the
 * {@code --rounds} (1) floods the gateway for {@code --seconds} when it reads a line and prints
 * {@code done}; after the last round it first writes the result (all rounds together) to {@code --out}.
 */
final class SignInFlood {

    /**
     * The flood's requests go to the event loop in groups every 5 ms (5 at a time at 1,000 a second):
     * the flood's own latency is not a result, and one hand-over per request would make this process
     * the box's busiest on two cores.
     */
    static final long TICK_NANOS = 5_000_000L;
    /** Where the warm-up's attempts come from: a loopback address other than the measured flood's. */
    static final String WARMUP_ADDRESS = "127.0.0.2";

    private SignInFlood() {}

    static int run(Map<String, List<String>> args) throws Exception {
        Ops.Target gateway = Ops.Target.of(Main.one(args, "gateway", null));
        String host = Main.one(args, "host", null);
        double rate = Double.parseDouble(Main.one(args, "rate", "1000"));
        int seconds = Main.num(args, "seconds", 20);
        int rounds = Math.max(1, Main.num(args, "rounds", 1));
        int warmup = Main.num(args, "warmup-seconds", 5);
        String out = Main.one(args, "out", null);

        int connections = Main.num(args, "connections", 64);
        Abuse.FloodTally warmTally = new Abuse.FloodTally();
        OpenLoop warming = Main.engine(connections, WARMUP_ADDRESS);
        warming.run(List.of(new OpenLoop.Stream("signin-flood-warmup", rate, Abuse.signIn(gateway, host, warmTally))), warmup, 5000, 5,
                TICK_NANOS);
        warming.vertx().close().toCompletionStage().toCompletableFuture().get();
        OpenLoop engine = Main.engine(connections);
        prime(engine, gateway, connections);
        System.out.println("ready");
        System.out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Abuse.FloodTally tally = new Abuse.FloodTally();
        List<OpenLoop.Recorder> floods = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            if (in.readLine() == null) {
                return 1; // the measuring process went away
            }
            floods.add(engine.run(List.of(new OpenLoop.Stream("signin-flood", rate, Abuse.signIn(gateway, host, tally))),
                    seconds, 5000, 11 + round, TICK_NANOS).get(0));
            if (round < rounds - 1) {
                System.out.println("done");
                System.out.flush();
            }
        }
        JsonObject result = OpenLoop.Recorder.pooled(floods).toJson().put("rounds", rounds).put("answers429", tally.refused.get())
                .put("answers429WithRetryAfter", tally.refusedWithRetryAfter.get()).put("answersOther", tally.other.get())
                .put("warmupSeconds", warmup).put("warmupFrom", WARMUP_ADDRESS)
                .put("warmupAnswers", warmTally.refused.get() + warmTally.other.get()).put("warmupAnswers429", warmTally.refused.get());
        Main.write(out, result);
        engine.vertx().close();
        System.out.println("done");
        System.out.flush();
        return 0;
    }

    /**
     * Opens the flood's connections to the gateway before the flood, as a client does whose
     * connections are already up: a few rounds of {@code connections} concurrent reads for a host no
     * shop has (the gateway answers 404 from its route table, and counts no sign-in attempt). The flood
     * then measures what its attempts cost, not a storm of new connections from the driver.
     */
    private static void prime(OpenLoop engine, Ops.Target gateway, int connections) throws Exception {
        for (int round = 0; round < 3; round++) {
            List<Future<Integer>> reads = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(gateway.host())
                        .setPort(gateway.port()).setURI("/").setTimeout(Ops.TIMEOUT_MS)
                        .putHeader(HttpHeaders.HOST, "signin-flood-warmup.invalid");
                reads.add(engine.client().request(options).compose(req -> req.send())
                        .compose(resp -> resp.body().map(b -> resp.statusCode())));
            }
            Future.join(reads).toCompletionStage().toCompletableFuture().handle((r, e) -> null).get();
        }
    }
}
