using System.Collections;
using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans;

// Spans of the calls an actor serves, while something listens to the Xoscar.Orleans activity source: a send per call of
// the actor's interface, a stream per enumeration of a streaming method (from its start to its end, counting its items).
public abstract partial class ActorBase
{
    // The spans of this actor's streams still open, by Orleans' enumeration request: made only while traced.
    private Dictionary<Guid, StreamSpan>? _streams;

    private async Task InvokeTracedAsync(IIncomingGrainCallContext context, MethodInfo method)
    {
        if (method.DeclaringType == typeof(IAsyncEnumerableGrainExtension))
        {
            await InvokeStreamStepAsync(context, method);
            return;
        }

        if (_lastKind > CallKind.NoLock)
        {
            await InvokeUntraced(context, method);
            return;
        }

        using var span = ActorTracing.Start(TraceKind.Send, method, Id, ClassName);
        try
        {
            await InvokeUntraced(context, method);
        }
        catch (Exception error)
        {
            ActorTracing.Failed(span, error);
            throw;
        }
    }

    // The call as it runs when not traced (the last method classified is this one).
    private Task InvokeUntraced(IIncomingGrainCallContext context, MethodInfo method) =>
        _lastKind <= CallKind.NoLock && Metrics.CallDuration.Enabled ? InvokeMeasuredAsync(context, method) : Dispatch(context);

    // One step of an enumeration (Orleans' StartEnumeration, MoveNext, DisposeAsync): the first opens the stream's span,
    // each step runs inside it and counts the items it returns, the last one ends it.
    private async Task InvokeStreamStepAsync(IIncomingGrainCallContext context, MethodInfo method)
    {
        var request = context.Request;
        var id = (Guid)request.GetArgument(0)!;
        StreamSpan? stream = null;
        if (method.Name == nameof(IAsyncEnumerableGrainExtension.StartEnumeration))
        {
            ForgetAbandonedStreams();
            var producer = ((global::Orleans.Serialization.Invocation.IInvokable)request.GetArgument(1)!).GetMethod();
            if (ActorTracing.Start(TraceKind.Stream, producer, Id, ClassName) is { } span) (_streams ??= [])[id] = stream = new StreamSpan(span);
        }
        else if (_streams?.TryGetValue(id, out stream) == true)
        {
            Activity.Current = stream.Span;   // what the producer calls in this step belongs to the stream
        }

        if (stream is null)
        {
            await InvokeUntraced(context, method);
            return;
        }

        stream.SeenMs = Environment.TickCount64;
        try
        {
            await InvokeUntraced(context, method);
        }
        catch (Exception error)
        {
            ActorTracing.Failed(stream.Span, error);
            EndStream(id, stream);
            throw;
        }

        if (method.Name == nameof(IAsyncEnumerableGrainExtension.DisposeAsync))
        {
            EndStream(id, stream);
            return;
        }

        if (context.Result is not ValueTuple<EnumerationResult, object?>(var status, var value)) return;
        stream.Items += (status & ~EnumerationResult.Completed) switch
        {
            EnumerationResult.Element => 1,
            EnumerationResult.Batch => (value as ICollection)?.Count ?? 0,
            _ => 0,
        };
        if ((status & (EnumerationResult.Completed | EnumerationResult.Error | EnumerationResult.Canceled | EnumerationResult.MissingEnumeratorError)) == 0) return;
        if (status == EnumerationResult.Error && value is Exception failure) ActorTracing.Failed(stream.Span, failure);
        EndStream(id, stream);
    }

    private void EndStream(Guid id, StreamSpan stream)
    {
        _streams?.Remove(id);
        if (stream.Span.IsAllDataRequested) stream.Span.SetTag(ActorTracing.ItemsTag, stream.Items);
        stream.Span.Dispose();
    }

    // A consumer that went away without ending its stream leaves it to Orleans, which drops it after two response
    // timeouts unseen: its span ends then too, at the latest when the next stream of this actor starts.
    private void ForgetAbandonedStreams()
    {
        if (_streams is not { Count: > 0 } streams) return;
        var timeout = ServiceProvider.GetRequiredService<IOptions<MessagingOptions>>().Value.ResponseTimeout;
        var before = Environment.TickCount64 - 2 * (long)timeout.TotalMilliseconds;
        foreach (var (id, stream) in streams.Where(s => s.Value.SeenMs < before).ToList())
        {
            stream.Span.SetStatus(ActivityStatusCode.Error, "abandoned by its consumer");
            EndStream(id, stream);
        }
    }

    // Ends the spans of streams still open when the actor goes away.
    private void EndStreams()
    {
        if (_streams is null) return;
        foreach (var (id, stream) in _streams.ToList()) EndStream(id, stream);
    }

    /// <summary>An enumeration's span, the items it returned so far, and when it last took a step.</summary>
    private sealed class StreamSpan(Activity span)
    {
        public Activity Span { get; } = span;

        public long Items;

        public long SeenMs;
    }
}
