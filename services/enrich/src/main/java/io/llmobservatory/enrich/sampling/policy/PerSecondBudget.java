package io.llmobservatory.enrich.sampling.policy;

/** A number of spans that may be taken per wall-clock second; refills when the second changes. Not thread-safe. */
final class PerSecondBudget {
    private final long perSecond;
    private long second = -1;
    private long spent;

    PerSecondBudget(long perSecond) {
        this.perSecond = perSecond;
    }

    /** Takes {@code spans} from this second's budget when they fit. */
    boolean tryTake(int spans) {
        long now = System.nanoTime() / 1_000_000_000L;
        if (now != second) {
            second = now;
            spent = 0;
        }
        if (spent + spans <= perSecond) {
            spent += spans;
            return true;
        }
        return false;
    }
}
