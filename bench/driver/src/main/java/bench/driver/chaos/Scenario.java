package bench.driver.chaos;

import java.util.List;

/** One fault (or a set of faults) injected while the steady load runs; each yields one verdict or more. */
interface Scenario {

    /** Short name, as in {@code --only=}. */
    String id();

    List<Verdict> run(Context ctx) throws Exception;
}
