package io.fulcrum.model;

/** Listener and target group protocols, with ELBv2's names. */
public enum Protocol {
    HTTP, HTTPS, TCP, TLS
}
