// A Cosmos DB SQL-API server for the tests (@vercel/cosmosdb-server) with the fixes the Java SDK needs
// (see shared FACTS): an answer to the SDK's query-plan request (plain WHERE queries: one range, no
// ORDER BY/TOP/aggregates to merge), queries allowed across partitions, 404 instead of 500 for a
// missing item, and Patch in bulk requests.
// Usage: node cosmos-server.js <port> <key.pem> <cert.pem>
const fs = require("fs");

// Bulk: the server's batch endpoint knows Create/Upsert/Read/Delete/Replace but not Patch, which the
// SDK's bulk executor sends for conditional updates. Its handler is replaced, before the server's
// routes load it, by one that also applies Patch (with the server's own patch operation).
const batchHandler = require("@vercel/cosmosdb-server/lib/handler/batch-documents");
const documents = require("@vercel/cosmosdb-server/lib/handler/_document-operations");
const { patchOperation } = require("@vercel/cosmosdb-server/lib/handler/_patch-operations");
const readJson = require("@vercel/cosmosdb-server/lib/json").default;
batchHandler.default = async (account, req, res, { dbId, collId }) => {
  const body = await readJson(req);
  const collection = account.database(dbId).collection(collId);
  if (!collection.read()) {
    res.statusCode = 404;
    return {};
  }
  if (!Array.isArray(body)) {
    res.statusCode = 400;
    return { message: "Invalid request body" };
  }
  const headerKey = req.headers["x-ms-documentdb-partitionkey"];
  return body.map(input => {
    const op = { ...input, partitionKey: input.partitionKey || headerKey };
    let result;
    switch (op.operationType) {
      case "Create": result = documents.createOperation(collection, op); break;
      case "Upsert": result = documents.upsertOperation(collection, op); break;
      case "Read": result = documents.readOperation(collection, op); break;
      case "Delete": result = documents.deleteOperation(collection, op); break;
      case "Replace": result = documents.replaceOperation(collection, op); break;
      case "Patch": {
        const spec = op.resourceBody || {};
        result = patchOperation(collection, {
          id: op.id, partitionKey: op.partitionKey, ifMatch: op.ifMatch,
          operations: Array.isArray(spec) ? spec : spec.operations, condition: Array.isArray(spec) ? undefined : spec.condition
        });
        break;
      }
      default: result = { statusCode: 400, body: { message: "unknown operation " + op.operationType } };
    }
    return { statusCode: result.statusCode, requestCharge: 1, eTag: result.body ? result.body._etag : undefined,
      resourceBody: result.body };
  });
};
const { createHttpsServer } = require("@vercel/cosmosdb-server");

const [port, keyFile, certFile] = process.argv.slice(2);
const server = createHttpsServer({ key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) });
const handlers = server.listeners("request").slice();
server.removeAllListeners("request");

const queryPlan = JSON.stringify({
  partitionedQueryExecutionInfoVersion: 2,
  queryInfo: {
    distinctType: "None", top: null, offset: null, limit: null, orderBy: [], orderByExpressions: [],
    groupByExpressions: [], groupByAliases: [], aggregates: [], groupByAliasToAggregateType: {},
    rewrittenQuery: "", hasSelectValue: false, dCountInfo: null, hasNonStreamingOrderBy: false
  },
  queryRanges: [{ min: "", max: "FF", isMinInclusive: true, isMaxInclusive: false }]
});

server.on("request", (req, res) => {
  if (String(req.headers["x-ms-cosmos-is-query-plan-request"]).toLowerCase() === "true") {
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.setHeader("x-ms-request-charge", "1");
      res.setHeader("x-ms-activity-id", require("crypto").randomUUID());
      res.end(queryPlan);
    });
    return;
  }
  if (String(req.headers["x-ms-documentdb-isquery"]).toLowerCase() === "true") {
    // the SDK routes queries by the plan above and does not always say they may span partitions
    req.headers["x-ms-documentdb-query-enablecrosspartition"] = "true";
  }
  const end = res.end.bind(res);
  res.end = (body, ...rest) => {
    // an item operation on a missing document fails inside the server (500): Cosmos answers 404
    if (res.statusCode === 500 && /\/docs\/[^/]+$/.test(req.url.split("?")[0])) {
      res.statusCode = 404;
      body = JSON.stringify({ code: "NotFound", message: "Entity with the specified id does not exist in the system." });
    }
    return end(body, ...rest);
  };
  handlers.forEach(h => h.call(server, req, res));
});
server.listen(Number(port), "127.0.0.1", () => console.log("cosmos listening on " + port));
