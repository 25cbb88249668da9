package io.fulcrum.model;

/** What a rule does with a matching request. */
public sealed interface Action permits ForwardAction, RedirectAction, FixedResponseAction {
    /** The config name of this action type. */
    String type();
}
