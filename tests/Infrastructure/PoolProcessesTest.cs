using Xoscar.Orleans.Silo;
using Xunit;

namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>A test class on the shared three-process actor pool: the pool and the main pool's façade.</summary>
[Collection(PoolProcessesCollection.Name)]
public abstract class PoolProcessesTest(PoolProcessesFixture fixture)
{
    /// <summary>The pool: main pool in this process, sub pools 1 and 2 in their own.</summary>
    protected ActorPool Pool => fixture.Pool;

    /// <summary>The façade of the main pool.</summary>
    protected IActorContext Xo => fixture.Pool.Context;
}
