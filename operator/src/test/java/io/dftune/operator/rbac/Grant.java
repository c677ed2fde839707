package io.dftune.operator.rbac;

/** One RBAC verb on one resource (or {@code resource/subresource}) of one API group ("" is core). */
public record Grant(String apiGroup, String resource, String verb) implements Comparable<Grant> {
    @Override
    public int compareTo(Grant o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return (apiGroup.isEmpty() ? "core" : apiGroup) + " " + resource + " " + verb;
    }
}
