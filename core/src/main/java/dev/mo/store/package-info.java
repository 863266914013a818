/**
 * The embedded store: every object, desired and observed, kept in memory and made durable
 * in a journal on disk. One global revision numbers every change (it is each object's
 * {@code resourceVersion}), so controllers and agents can wait for "anything after N".
 */
package dev.mo.store;
