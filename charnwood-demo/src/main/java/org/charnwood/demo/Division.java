package org.charnwood.demo;

/** The trust's three clinical divisions, as its services are grouped for management and reporting. */
public enum Division {
    COMMUNITY_HEALTH("Community Health Services"),
    FAMILIES_YOUNG_PEOPLE_LEARNING_DISABILITY("Families, Young People, Children and Learning Disability Services"),
    MENTAL_HEALTH("Adult Mental Health Services");

    private final String label;

    Division(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
