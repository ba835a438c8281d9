using Xoscar.Orleans;

namespace Tracing;

/// <summary>A stage of a pipeline: it does its part and hands the rest to the next stage.</summary>
public interface IStage : IActor
{
    Task<string> Run(string input, IStage? next);
}

/// <summary>Upper-cases or reverses its input; each call and the call it makes become spans of one trace.</summary>
public sealed class Stage(string operation) : Actor, IStage
{
    public async Task<string> Run(string input, IStage? next)
    {
        var output = operation == "upper" ? input.ToUpperInvariant() : new string(input.Reverse().ToArray());
        return next is null ? output : await next.Run(output, null);
    }
}
