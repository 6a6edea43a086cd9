package io.llmobservatory.sdk.context;

import io.opentelemetry.context.Context;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Carries the current trace (and its baggage: user, session) to work that runs on other threads. Thin helpers over
 * {@link Context#wrap}: what is submitted runs in the context current at submission.
 */
public final class ContextPropagation {
    private ContextPropagation() {
    }

    /** An executor that runs every task in the context current when it was submitted. */
    public static Executor wrap(Executor executor) {
        return Context.taskWrapping(executor);
    }

    public static ExecutorService wrap(ExecutorService executor) {
        return Context.taskWrapping(executor);
    }

    public static ScheduledExecutorService wrap(ScheduledExecutorService executor) {
        return Context.taskWrapping(executor);
    }

    /**
     * A thread factory whose threads start in the context current when each thread is created: for
     * thread-per-task executors, e.g. {@code Executors.newThreadPerTaskExecutor(threadFactory(Thread.ofVirtual().factory()))}
     * on Java 21 — each virtual thread then continues the trace that started it.
     */
    public static ThreadFactory threadFactory(ThreadFactory factory) {
        return task -> factory.newThread(Context.current().wrap(task));
    }

    /** {@link CompletableFuture#supplyAsync} with the current context carried to {@code supplier}. */
    public static <T> CompletableFuture<T> supplyAsync(Supplier<T> supplier, Executor executor) {
        return CompletableFuture.supplyAsync(Context.current().wrapSupplier(supplier), executor);
    }

    /**
     * {@code fn} bound to the current context, for the stages of a {@link CompletableFuture} chain: a stage runs on
     * whichever thread completed the one before, long after that thread left the request's context, so wrapping the
     * executor is not enough there — wrap the stage: {@code f.thenApplyAsync(inCurrent(fn), pool)}.
     */
    public static <T, R> Function<T, R> inCurrent(Function<T, R> fn) {
        return Context.current().wrapFunction(fn);
    }

    /** {@link CompletableFuture#runAsync} with the current context carried to {@code task}. */
    public static CompletableFuture<Void> runAsync(Runnable task, Executor executor) {
        return CompletableFuture.runAsync(Context.current().wrap(task), executor);
    }
}
