package bench.driver;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A trivial HTTP server (every request answered 200 with a small JSON body, on one event loop), the
 * target of the driver's own ceiling: what the driver reaches against it bounds every figure it
 * reports, so a figure close to it was limited by the driver, not by the platform.
 *
 * <pre>driver trivial --port=P</pre>
 * Runs until it is killed.
 */
final class Trivial {

    private Trivial() {}

    static int run(Map<String, List<String>> args) throws Exception {
        int port = Main.num(args, "port", 0);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        Buffer body = Buffer.buffer("{\"status\":\"ok\"}");
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .requestHandler(request -> request.response().putHeader("Content-Type", "application/json").end(body))
                .listen().toCompletionStage().toCompletableFuture().get();
        System.err.println("trivial server on 127.0.0.1:" + port);
        new CountDownLatch(1).await();
        return 0;
    }
}
