package io.hybridlake.stream;

import io.hybridlake.lake.Column;
import io.hybridlake.lake.ColumnType;
import io.hybridlake.lake.CommitLineage;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableSchema;
import io.hybridlake.pipeline.FieldSpec;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.pipeline.PipelineSpecException;
import io.hybridlake.pipeline.RowRules;
import io.hybridlake.pipeline.ZoneSchemas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Schema evolution of a pipeline's tables (docs/DESIGN.md §4c). The lake is the record of what was
 * added: a pipeline's added fields are the columns its refined tables have beyond what its YAML
 * declares, so every process, after any restart, compiles the same pipeline, and a replayed batch
 * decodes as it did the first time.
 */
public final class PipelineEvolution {
    private static final System.Logger LOG = System.getLogger(PipelineEvolution.class.getName());

    private final Lake lake;
    private final PipelineCatalog catalog;

    public PipelineEvolution(Lake lake, PipelineCatalog catalog) {
        this.lake = lake;
        this.catalog = catalog;
    }

    /** The zone tables whose columns follow the pipeline's fields, with their schema. */
    private static Map<TablePath, Function<RowRules, TableSchema>> zones(String table) {
        Map<TablePath, Function<RowRules, TableSchema>> zones = new LinkedHashMap<>();
        zones.put(TablePath.refinedStream(table), ZoneSchemas::refined);
        zones.put(TablePath.refinedBatch(table), ZoneSchemas::refined);
        zones.put(TablePath.late(table), ZoneSchemas::late);
        zones.put(TablePath.merged(table), ZoneSchemas::merged);
        return zones;
    }

    /**
     * At start-up: the YAML's pipeline with the columns its tables gained, every existing table brought
     * to it (a field newly declared in the YAML is added when the pipeline allows it), published in the
     * catalog. Throws, naming the table and column, when the YAML contradicts a table.
     */
    public PipelineSpec reconcile(PipelineSpec declared) {
        synchronized (catalog) {
            // Columns our own evolution added are fields of the pipeline; with evolution off, extra columns
            // are another writer's, kept in their table and written as null (lake.SchemaMatch).
            List<FieldSpec> gained = declared.schemaPolicy().addColumns() ? gainedFields(declared) : List.of();
            PipelineSpec spec = gained.isEmpty() ? declared : declared.withAddedFields(gained);
            bringTablesTo(spec);
            catalog.replace(spec);
            return spec;
        }
    }

    /**
     * Adds fields found in events or files to the pipeline's tables and returns the pipeline now in the
     * catalog (unchanged when another thread added them first, or when the pipeline is at its limit).
     */
    public PipelineSpec addFields(String table, Map<String, ColumnType> found) {
        synchronized (catalog) {
            PipelineSpec current = catalog.table(table);
            TableSchema known = ZoneSchemas.merged(new RowRules(current));
            int room = current.schemaPolicy().maxAddedColumns() - current.addedFields().size();
            List<FieldSpec> more = new ArrayList<>();
            for (Map.Entry<String, ColumnType> f : found.entrySet()) {
                if (known.indexOf(f.getKey()) < 0 && current.fieldIndex(f.getKey()) < 0 && more.size() < room) {
                    more.add(new FieldSpec(f.getKey(), f.getValue(), true));
                }
            }
            if (more.isEmpty() || !current.schemaPolicy().addColumns()) {
                return current;
            }
            PipelineSpec evolved = current.withAddedFields(more);
            bringTablesTo(evolved);
            catalog.replace(evolved);
            LOG.log(System.Logger.Level.INFO, "pipeline {0}: added columns {1} (schema evolution add-columns)", table,
                    more.stream().map(f -> f.name() + " " + f.type()).toList());
            return evolved;
        }
    }

    /** Columns the refined tables have that the YAML does not declare: fields added earlier. */
    private List<FieldSpec> gainedFields(PipelineSpec declared) {
        TableSchema expected = ZoneSchemas.refined(new RowRules(declared));
        Map<String, FieldSpec> gained = new LinkedHashMap<>();
        for (TablePath path : List.of(TablePath.refinedStream(declared.table()), TablePath.refinedBatch(declared.table()))) {
            Optional<TableSchema> schema = lake.table(path).schema();
            if (schema.isEmpty()) {
                continue;
            }
            for (Column c : schema.get().columns()) {
                if (expected.indexOf(c.name()) >= 0) {
                    continue;
                }
                if (!c.nullable()) {
                    throw new PipelineSpecException(declared.sourceFile(), 0, "fields", "table " + path.relative()
                            + " has required column '" + c.name() + "' which the pipeline no longer declares; "
                            + "dropping columns is not supported (declare it again)");
                }
                FieldSpec previous = gained.putIfAbsent(c.name(), new FieldSpec(c.name(), c.type(), true));
                if (previous != null && previous.type() != c.type()) {
                    throw new PipelineSpecException(declared.sourceFile(), 0, "fields", "column '" + c.name()
                            + "' is " + previous.type() + " in one refined table of " + declared.table() + " and "
                            + c.type() + " in " + path.relative());
                }
            }
        }
        return List.copyOf(gained.values());
    }

    private void bringTablesTo(PipelineSpec spec) {
        RowRules rules = new RowRules(spec);
        for (Map.Entry<TablePath, Function<RowRules, TableSchema>> zone : zones(spec.table()).entrySet()) {
            LakeTable table = lake.table(zone.getKey());
            Optional<TableSchema> current = table.schema();
            TableSchema target = zone.getValue().apply(rules);
            if (current.isEmpty()) {
                continue;
            }
            for (Column c : target.columns()) {
                int at = current.get().indexOf(c.name());
                if (at >= 0 && current.get().column(at).type() != c.type()) {
                    throw new PipelineSpecException(spec.sourceFile(), 0, "fields", "column '" + c.name() + "' is "
                            + current.get().column(at).type() + " in table " + table.name() + " and " + c.type()
                            + " in pipeline " + spec.table() + " (changing a type is not supported)");
                }
            }
            List<Column> missing = missingColumns(current.get(), target);
            if (missing.isEmpty()) {
                continue; // the same columns by name; order and nullable columns another writer added do not matter
            }
            List<Column> unknown = current.get().columns().stream().filter(c -> target.indexOf(c.name()) < 0).toList();
            if (!unknown.isEmpty() && !spec.schemaPolicy().addColumns()) { // e.g. renamed by another engine
                throw new PipelineSpecException(spec.sourceFile(), 0, "fields", "table " + table.name() + " lacks "
                        + names(new TableSchema(missing, List.of())) + " which pipeline " + spec.table() + " writes, and "
                        + "has " + names(new TableSchema(unknown, List.of())) + " which it does not (renamed by another "
                        + "engine?): rename the column back, or change the pipeline's field to the table's name");
            }
            if (!spec.schemaPolicy().addColumns()) {
                throw new PipelineSpecException(spec.sourceFile(), 0, "fields", "table " + table.name() + " lacks "
                        + names(new TableSchema(missing, List.of())) + " which pipeline " + spec.table() + " writes; "
                        + "to add columns to existing tables set 'schema: {evolution: add-columns}'");
            }
            try {
                CommitLineage.during(Map.of(CommitLineage.JOB, "add-columns", CommitLineage.PIPELINE, spec.table()),
                        () -> table.evolve(target));
            } catch (RuntimeException e) {
                throw new PipelineSpecException(spec.sourceFile(), 0, "fields", e.getMessage());
            }
        }
    }

    /** The target's columns the table lacks by name (type and other differences are the writer's to report). */
    private static List<Column> missingColumns(TableSchema table, TableSchema target) {
        return target.columns().stream().filter(c -> table.indexOf(c.name()) < 0).toList();
    }

    private static List<String> names(TableSchema schema) {
        return schema.columns().stream().map(c -> c.name() + " " + c.type().name().toLowerCase()).toList();
    }
}
