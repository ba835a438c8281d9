namespace Xoscar.Orleans.Tests.Actors;

public interface ILifecycle : IActor
{
    Task<string> Name();
}

/// <summary>Its hooks call another actor (passed as a constructor argument) and its own reference.</summary>
public sealed class Lifecycle(IRecorder recorder) : Actor, ILifecycle
{
    public override async Task PostCreateAsync() => await recorder.Record($"create {await Ref<ILifecycle>().Name()}");

    public override async Task PreDestroyAsync() => await recorder.Record($"destroy {await Ref<ILifecycle>().Name()}");

    public Task<string> Name() => Task.FromResult(Uid);
}
