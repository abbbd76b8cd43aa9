package org.charnwood.scheduling.visits;

/** Where a visit stands during the day; visits under way or done are pinned when the day is replanned. */
public enum VisitStatus { PLANNED, IN_PROGRESS, COMPLETED }
