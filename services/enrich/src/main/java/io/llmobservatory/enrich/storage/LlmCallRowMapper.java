package io.llmobservatory.enrich.storage;

import io.llmobservatory.enrich.cost.Cost;
import io.llmobservatory.enrich.genai.LlmCall;
import io.vertx.mutiny.sqlclient.Tuple;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Priced calls to the column arrays of {@link TraceRepository#INSERT_CALLS}. */
final class LlmCallRowMapper {
    private LlmCallRowMapper() {
    }

    static Tuple toTuple(String tenant, List<PricedCall> calls) {
        int n = calls.size();
        String[] traceId = new String[n], spanId = new String[n], service = new String[n], provider = new String[n];
        String[] operation = new String[n], requestModel = new String[n], responseModel = new String[n], model = new String[n];
        Long[] start = new Long[n], input = new Long[n], output = new Long[n], cacheRead = new Long[n];
        Long[] cacheWrite = new Long[n], reasoning = new Long[n], duration = new Long[n];
        String[] inputCost = new String[n], outputCost = new String[n], cost = new String[n], source = new String[n];
        Boolean[] priced = new Boolean[n];
        String[] finish = new String[n], errorType = new String[n], user = new String[n], session = new String[n];
        String[] dialect = new String[n];
        Integer[] status = new Integer[n];
        for (int i = 0; i < n; i++) {
            LlmCall c = calls.get(i).call();
            Cost k = calls.get(i).cost();
            traceId[i] = c.traceId();
            spanId[i] = c.spanId();
            start[i] = c.startTimeUnixNano();
            service[i] = JsonText.text(c.serviceName());
            provider[i] = JsonText.text(c.provider());
            operation[i] = JsonText.text(c.operation());
            requestModel[i] = JsonText.text(c.requestModel());
            responseModel[i] = JsonText.text(c.responseModel());
            model[i] = JsonText.text(c.model());
            input[i] = c.inputTokens();
            output[i] = c.outputTokens();
            cacheRead[i] = c.cacheReadTokens();
            cacheWrite[i] = c.cacheWriteTokens();
            reasoning[i] = c.reasoningTokens();
            inputCost[i] = plain(k.input());
            outputCost[i] = plain(k.output());
            cost[i] = plain(k.total());
            priced[i] = k.priced();
            source[i] = JsonText.text(k.source());
            finish[i] = JsonText.stringArray(c.finishReasons());
            status[i] = c.statusCode();
            errorType[i] = JsonText.text(c.errorType());
            duration[i] = c.durationNanos();
            user[i] = JsonText.text(c.userId());
            session[i] = JsonText.text(c.sessionId());
            dialect[i] = c.dialect();
        }
        return Tuple.wrap(new ArrayList<>(List.of(tenant, traceId, spanId, start, service, provider, operation, requestModel,
                responseModel, model, input, output, cacheRead, cacheWrite, reasoning, inputCost, outputCost, cost,
                priced, source, finish, status, errorType, duration, user, session, dialect)));
    }

    private static String plain(BigDecimal v) {
        return v == null ? null : v.toPlainString();
    }
}
