using Orleans.Serialization.Invocation;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// A batch of calls to one method as it travels: the first call whole (its request type names the method), and
/// every call's arguments by position, one typed array per parameter — 1000 calls of <c>Add(int)</c> carry an
/// <c>int[1000]</c>, not 1000 requests.
/// </summary>
[GenerateSerializer, Immutable, Alias("xoscar.BatchPayload")]
internal sealed class BatchPayload
{
    /// <summary>Packs <paramref name="calls"/>, which the caller has checked to be calls to one method.</summary>
    public BatchPayload(IInvokable[] calls)
        : this(calls[0], ArgumentColumns.Of(calls), calls.Length)
    {
    }

    /// <summary>A batch of <paramref name="count"/> calls like <paramref name="template"/>, with their arguments already in columns.</summary>
    public BatchPayload(IInvokable template, Column?[] columns, int count)
    {
        Template = template;
        Columns = columns;
        Count = count;
    }

    /// <summary>The first call.</summary>
    [Id(0)] public IInvokable Template { get; private set; }

    /// <summary>The arguments: one array per parameter, one element per call (null for a cancellation token).</summary>
    [Id(1)] public Column?[] Columns { get; private set; }

    /// <summary>How many calls.</summary>
    [Id(2)] public int Count { get; private set; }

    /// <summary>Argument <paramref name="position"/> of call <paramref name="call"/>.</summary>
    public object? Argument(int call, int position) => Columns[position]?.Values.GetValue(call);

    /// <summary>Call <paramref name="call"/> as a request of its own, ready to invoke.</summary>
    public IInvokable Call(int call)
    {
        if (call == 0) return Template;
        var request = (IInvokable)Activator.CreateInstance(Template.GetType())!;
        for (var j = 0; j < Columns.Length; j++)
        {
            if (Columns[j] is not null) request.SetArgument(j, Argument(call, j)!);
        }
        return request;
    }
}
