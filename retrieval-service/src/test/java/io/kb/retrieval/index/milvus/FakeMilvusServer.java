package io.kb.retrieval.index.milvus;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.milvus.grpc.ArrayArray;
import io.milvus.grpc.BoolResponse;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.ConnectRequest;
import io.milvus.grpc.ConnectResponse;
import io.milvus.grpc.CreateCollectionRequest;
import io.milvus.grpc.CreateIndexRequest;
import io.milvus.grpc.DataType;
import io.milvus.grpc.DeleteRequest;
import io.milvus.grpc.DescribeCollectionRequest;
import io.milvus.grpc.DescribeCollectionResponse;
import io.milvus.grpc.ErrorCode;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.GetLoadStateRequest;
import io.milvus.grpc.GetLoadStateResponse;
import io.milvus.grpc.GetLoadingProgressRequest;
import io.milvus.grpc.GetLoadingProgressResponse;
import io.milvus.grpc.HasCollectionRequest;
import io.milvus.grpc.HybridSearchRequest;
import io.milvus.grpc.IDs;
import io.milvus.grpc.JSONArray;
import io.milvus.grpc.ListDatabasesRequest;
import io.milvus.grpc.ListDatabasesResponse;
import io.milvus.grpc.LoadCollectionRequest;
import io.milvus.grpc.LoadState;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.MilvusServiceGrpc;
import io.milvus.grpc.MutationResult;
import io.milvus.grpc.QueryRequest;
import io.milvus.grpc.QueryResults;
import io.milvus.grpc.ScalarField;
import io.milvus.grpc.SearchRequest;
import io.milvus.grpc.SearchResultData;
import io.milvus.grpc.SearchResults;
import io.milvus.grpc.Status;
import io.milvus.grpc.StringArray;
import io.milvus.grpc.UpsertRequest;
import io.milvus.grpc.IntArray;
import io.milvus.shaded.io.grpc.Server;
import io.milvus.shaded.io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.milvus.shaded.io.grpc.stub.StreamObserver;

/**
 * A Milvus stand-in on a loopback port: the Milvus service the SDK ships ({@link MilvusServiceGrpc}), served by
 * the SDK's own gRPC, implementing the methods {@code MilvusChunkIndex} calls. It records every request as the SDK
 * sent it, keeps the schemas of the collections it was asked to create (the SDK describes a collection before an
 * upsert), and answers queries and searches with what a test tells it to.
 */
final class FakeMilvusServer implements AutoCloseable {

    private static final Status OK = Status.newBuilder().setCode(0).setErrorCode(ErrorCode.Success).build();

    final List<Object> requests = new CopyOnWriteArrayList<>();
    final Map<String, CollectionSchema> collections = new ConcurrentHashMap<>();
    volatile Function<QueryRequest, List<Map<String, Object>>> queryAnswer = request -> List.of();
    volatile Function<Object, List<Scored>> searchAnswer = request -> List.of();

    private final Server server;

    /** A row a search returns, with its score. */
    record Scored(Map<String, Object> row, float score) {
    }

    private FakeMilvusServer(int port) throws IOException {
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(new Service())
                .build()
                .start();
    }

    /** A server on a free loopback port. */
    static FakeMilvusServer start() throws IOException {
        return new FakeMilvusServer(0);
    }

    /** A server on the given loopback port, such as one a client was told about before the server existed. */
    static FakeMilvusServer startOn(int port) throws IOException {
        return new FakeMilvusServer(port);
    }

    int port() {
        return server.getPort();
    }

    String uri() {
        return "http://127.0.0.1:" + port();
    }

    /** The recorded requests of one type, in order. */
    <T> List<T> requests(Class<T> type) {
        List<T> matching = new ArrayList<>();
        for (Object request : requests) {
            if (type.isInstance(request)) {
                matching.add(type.cast(request));
            }
        }
        return matching;
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private final class Service extends MilvusServiceGrpc.MilvusServiceImplBase {

        @Override
        public void connect(ConnectRequest request, StreamObserver<ConnectResponse> response) {
            requests.add(request);
            reply(response, ConnectResponse.newBuilder().setStatus(OK).setIdentifier(1).build());
        }

        @Override
        public void listDatabases(ListDatabasesRequest request, StreamObserver<ListDatabasesResponse> response) {
            requests.add(request);
            reply(response, ListDatabasesResponse.newBuilder().setStatus(OK).addDbNames("default").addDbNames("rag")
                    .build());
        }

        @Override
        public void hasCollection(HasCollectionRequest request, StreamObserver<BoolResponse> response) {
            requests.add(request);
            reply(response, BoolResponse.newBuilder().setStatus(OK)
                    .setValue(collections.containsKey(request.getCollectionName())).build());
        }

        @Override
        public void createCollection(CreateCollectionRequest request, StreamObserver<Status> response) {
            requests.add(request);
            try {
                collections.put(request.getCollectionName(), CollectionSchema.parseFrom(request.getSchema()));
            } catch (InvalidProtocolBufferException e) {
                response.onError(e);
                return;
            }
            reply(response, OK);
        }

        @Override
        public void createIndex(CreateIndexRequest request, StreamObserver<Status> response) {
            requests.add(request);
            reply(response, OK);
        }

        @Override
        public void loadCollection(LoadCollectionRequest request, StreamObserver<Status> response) {
            requests.add(request);
            reply(response, OK);
        }

        @Override
        public void getLoadingProgress(GetLoadingProgressRequest request,
                StreamObserver<GetLoadingProgressResponse> response) {
            reply(response, GetLoadingProgressResponse.newBuilder().setStatus(OK).setProgress(100)
                    .setRefreshProgress(100).build());
        }

        @Override
        public void getLoadState(GetLoadStateRequest request, StreamObserver<GetLoadStateResponse> response) {
            reply(response, GetLoadStateResponse.newBuilder().setStatus(OK).setState(LoadState.LoadStateLoaded).build());
        }

        @Override
        public void describeCollection(DescribeCollectionRequest request,
                StreamObserver<DescribeCollectionResponse> response) {
            CollectionSchema schema = collections.get(request.getCollectionName());
            if (schema == null) {
                reply(response, DescribeCollectionResponse.newBuilder().setStatus(Status.newBuilder().setCode(100)
                        .setErrorCode(ErrorCode.CollectionNotExists).setReason("collection not found")).build());
                return;
            }
            reply(response, DescribeCollectionResponse.newBuilder().setStatus(OK).setSchema(schema)
                    .setCollectionName(request.getCollectionName()).setCollectionID(1).build());
        }

        @Override
        public void upsert(UpsertRequest request, StreamObserver<MutationResult> response) {
            requests.add(request);
            reply(response, MutationResult.newBuilder().setStatus(OK).setUpsertCnt(request.getNumRows()).build());
        }

        @Override
        public void delete(DeleteRequest request, StreamObserver<MutationResult> response) {
            requests.add(request);
            reply(response, MutationResult.newBuilder().setStatus(OK).build());
        }

        @Override
        public void query(QueryRequest request, StreamObserver<QueryResults> response) {
            requests.add(request);
            if (request.getOutputFieldsList().contains("count(*)")) {
                reply(response, QueryResults.newBuilder().setStatus(OK).addOutputFields("count(*)")
                        .addFieldsData(FieldData.newBuilder().setFieldName("count(*)").setType(DataType.Int64)
                                .setScalars(ScalarField.newBuilder().setLongData(LongArray.newBuilder()
                                        .addData(queryAnswer.apply(request).size()))))
                        .build());
                return;
            }
            List<Map<String, Object>> rows = queryAnswer.apply(request);
            CollectionSchema schema = collections.get(request.getCollectionName());
            QueryResults.Builder results = QueryResults.newBuilder().setStatus(OK)
                    .setCollectionName(request.getCollectionName());
            for (String field : request.getOutputFieldsList()) {
                results.addOutputFields(field);
                results.addFieldsData(column(schema, field, rows));
            }
            reply(response, results.build());
        }

        @Override
        public void search(SearchRequest request, StreamObserver<SearchResults> response) {
            requests.add(request);
            reply(response, searchResults(request.getCollectionName(), request.getOutputFieldsList(),
                    searchAnswer.apply(request)));
        }

        @Override
        public void hybridSearch(HybridSearchRequest request, StreamObserver<SearchResults> response) {
            requests.add(request);
            reply(response, searchResults(request.getCollectionName(), request.getOutputFieldsList(),
                    searchAnswer.apply(request)));
        }
    }

    private SearchResults searchResults(String collection, List<String> outputFields, List<Scored> hits) {
        CollectionSchema schema = collections.get(collection);
        List<Map<String, Object>> rows = hits.stream().map(Scored::row).toList();
        SearchResultData.Builder data = SearchResultData.newBuilder().setNumQueries(1).setTopK(hits.size())
                .addTopks(hits.size()).setPrimaryFieldName(ChunkRows.CHUNK_ID);
        StringArray.Builder ids = StringArray.newBuilder();
        for (Scored hit : hits) {
            ids.addData((String) hit.row().get(ChunkRows.CHUNK_ID));
            data.addScores(hit.score());
        }
        data.setIds(IDs.newBuilder().setStrId(ids));
        for (String field : outputFields) {
            data.addOutputFields(field);
            data.addFieldsData(column(schema, field, rows));
        }
        return SearchResults.newBuilder().setStatus(OK).setCollectionName(collection).setResults(data).build();
    }

    /** One column of rows, typed by the collection's schema as Milvus returns it. */
    private static FieldData column(CollectionSchema schema, String field, List<Map<String, Object>> rows) {
        FieldSchema fieldSchema = schema.getFieldsList().stream().filter(f -> f.getName().equals(field)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no field " + field + " in " + schema.getName()));
        FieldData.Builder column = FieldData.newBuilder().setFieldName(field).setType(fieldSchema.getDataType());
        ScalarField.Builder scalars = ScalarField.newBuilder();
        switch (fieldSchema.getDataType()) {
            case VarChar -> {
                StringArray.Builder values = StringArray.newBuilder();
                rows.forEach(row -> values.addData((String) row.get(field)));
                scalars.setStringData(values);
            }
            case Int64 -> {
                LongArray.Builder values = LongArray.newBuilder();
                rows.forEach(row -> values.addData(((Number) row.get(field)).longValue()));
                scalars.setLongData(values);
            }
            case Int32 -> {
                IntArray.Builder values = IntArray.newBuilder();
                rows.forEach(row -> values.addData(((Number) row.get(field)).intValue()));
                scalars.setIntData(values);
            }
            case JSON -> {
                JSONArray.Builder values = JSONArray.newBuilder();
                rows.forEach(row -> values.addData(ByteString.copyFromUtf8(row.get(field).toString())));
                scalars.setJsonData(values);
            }
            case Array -> {
                ArrayArray.Builder values = ArrayArray.newBuilder().setElementType(DataType.VarChar);
                for (Map<String, Object> row : rows) {
                    StringArray.Builder elements = StringArray.newBuilder();
                    ((List<?>) row.get(field)).forEach(e -> elements.addData((String) e));
                    values.addData(ScalarField.newBuilder().setStringData(elements));
                }
                scalars.setArrayData(values);
            }
            default -> throw new IllegalArgumentException("the fake returns no " + fieldSchema.getDataType() + " fields");
        }
        return column.setScalars(scalars).build();
    }

    private static <T> void reply(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }
}
