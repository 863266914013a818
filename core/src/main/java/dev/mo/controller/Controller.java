package dev.mo.controller;

/** One level-triggered control loop: compare desired with observed state, act on the difference. */
public interface Controller {
    /** A short name for logs and threads. */
    String name();

    /** One pass over every object this controller looks after. Must be safe to run at any time. */
    void reconcile();
}
