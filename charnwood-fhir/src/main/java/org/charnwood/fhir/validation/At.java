package org.charnwood.fhir.validation;

/**
 * Where a value is, spelled out only when a problem is reported there: building the path text of
 * every property and list item of every body cost more than checking them.
 */
record At(At parent, String name, String type, int index) {

    static At root(String resourceType) {
        return new At(null, resourceType, null, -1);
    }

    At child(String child) {
        return new At(this, child, null, -1);
    }

    /** A choice element, written as FHIRPath names it: {@code value.ofType(Quantity)}. */
    At choice(String child, String childType) {
        return new At(this, child, childType, -1);
    }

    At index(int i) {
        return new At(this, null, null, i);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        append(sb);
        return sb.toString();
    }

    private void append(StringBuilder sb) {
        if (parent != null) {
            parent.append(sb);
        }
        if (index >= 0) {
            sb.append('[').append(index).append(']');
            return;
        }
        if (parent != null) {
            sb.append('.');
        }
        sb.append(name);
        if (type != null) {
            sb.append(".ofType(").append(type).append(')');
        }
    }
}
