package io.fulcrum.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The kinds `fulcrum get` shows, with kubectl-style short names. */
enum ResourceKind {
    LOAD_BALANCERS("load-balancers", "lb"),
    LISTENERS("listeners", "listener"),
    RULES("rules", "rule"),
    TARGET_GROUPS("target-groups", "tg"),
    TARGETS("targets", "target"),
    LAUNCH_TEMPLATES("launch-templates", "lt"),
    AUTO_SCALING_GROUPS("auto-scaling-groups", "asg"),
    REVISIONS("revisions", "revision");

    private final String name;
    private final String alias;

    ResourceKind(String name, String alias) {
        this.name = name;
        this.alias = alias;
    }

    String displayName() {
        return name;
    }

    /** The kind named by its name, its short name or its singular, or null. */
    static ResourceKind parse(String text) {
        String wanted = text.toLowerCase(Locale.ROOT);
        for (ResourceKind kind : values()) {
            if (kind.name.equals(wanted) || kind.alias.equals(wanted)
                    || kind.name.equals(wanted + "s") || kind.name.replace("-", "").equals(wanted)) {
                return kind;
            }
        }
        return null;
    }

    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (ResourceKind kind : values()) {
            names.add(kind.name + " (" + kind.alias + ")");
        }
        return names;
    }
}
