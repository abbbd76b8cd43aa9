package org.charnwood.fhir.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Index rows gathered for a batch of resources, column by column per table, ready to be sent as
 * arrays in one statement. Values are kept as text (and {@code res_pk} as Long); the statement
 * casts each array to its column's type.
 */
final class IndexRows {

    /** The rows bound for one index table. */
    static final class Table {
        final String name;
        final String[] columns;
        final String[] sqlTypes;
        final List<Object>[] values;

        @SuppressWarnings("unchecked")
        Table(String name, String columns, String sqlTypes) {
            this.name = name;
            this.columns = columns.split(",");
            this.sqlTypes = sqlTypes.split(",");
            this.values = new List[this.columns.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = new ArrayList<>();
            }
        }

        void add(Object... row) {
            for (int i = 0; i < row.length; i++) {
                values[i].add(row[i]);
            }
        }

        int size() {
            return values[0].size();
        }
    }

    final Table string = new Table("idx_string", "res_pk,res_type,param,value_norm,value_exact,value_long",
            "bigint,text,text,text,text,text");
    final Table token = new Table("idx_token", "res_pk,res_type,param,system,code,display,type_system,type_code",
            "bigint,text,text,text,text,text,text,text");
    final Table date = new Table("idx_date", "res_pk,res_type,param,lo,hi",
            "bigint,text,text,timestamptz,timestamptz");
    final Table number = new Table("idx_number", "res_pk,res_type,param,value,lo,hi",
            "bigint,text,text,numeric,numeric,numeric");
    final Table quantity = new Table("idx_quantity", "res_pk,res_type,param,value,lo,hi,system,code,unit",
            "bigint,text,text,numeric,numeric,numeric,text,text,text");
    final Table reference = new Table("idx_reference", "res_pk,res_type,param,target_type,target_id,target_url",
            "bigint,text,text,text,text,text");
    final Table uri = new Table("idx_uri", "res_pk,res_type,param,uri", "bigint,text,text,text");
    final Table composite = new Table("idx_composite", "res_pk,res_type,param,components",
            "bigint,text,text,jsonb");
    /**
     * Not a search index: every local resource the resource refers to, wherever the reference is, for the
     * delete check. Kept here so that it is written, replaced and removed with the index rows, in the same
     * statement or COPY.
     */
    final Table link = new Table("fhir_link", "res_pk,target_type,target_id", "bigint,text,text");

    /**
     * The {@code fhir_resource.security} entries of each resource that has {@code _security} token rows here
     * ({@link SecurityLabels}), by resource key.
     */
    Map<Long, Set<String>> securityLabels() {
        Map<Long, Set<String>> labels = new LinkedHashMap<>();
        List<Object> params = token.values[2];
        for (int i = 0; i < params.size(); i++) {
            if ("_security".equals(params.get(i))) {
                SecurityLabels.addStored(labels.computeIfAbsent((Long) token.values[0].get(i),
                        k -> new LinkedHashSet<>()), (String) token.values[3].get(i), (String) token.values[4].get(i));
            }
        }
        return labels;
    }

    /** The link rows of a resource: its local targets, each {@code Type/id}. */
    void addLinks(long resourcePk, java.util.Collection<String> targets) {
        for (String target : targets) {
            int slash = target.indexOf('/');
            link.add(resourcePk, target.substring(0, slash), target.substring(slash + 1));
        }
    }

    List<Table> tables() {
        return List.of(string, token, date, number, quantity, reference, uri, composite, link);
    }

    static List<String> tableNames() {
        return new IndexRows().tables().stream().map(t -> t.name).toList();
    }
}
