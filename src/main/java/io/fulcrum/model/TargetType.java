package io.fulcrum.model;

/** How targets of a group are named: by address (ip), by auto scaling instance, or as a function. */
public enum TargetType {
    IP, INSTANCE, LAMBDA
}
