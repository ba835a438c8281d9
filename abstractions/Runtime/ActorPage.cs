namespace Xoscar.Orleans.Runtime;

/// <summary>One page of a pool's actors, by uid: what the dashboard lists.</summary>
/// <param name="Total">How many actors the pool has.</param>
/// <param name="Actors">The actors of the page, in ordinal order of their uids.</param>
[GenerateSerializer, Immutable, Alias("xoscar.ActorPage")]
internal sealed record ActorPage([property: Id(0)] int Total, [property: Id(1)] ActorListing[] Actors);

/// <summary>An actor as a pool lists it: its uid and its class's name.</summary>
[GenerateSerializer, Immutable, Alias("xoscar.ActorListing")]
internal sealed record ActorListing([property: Id(0)] string Uid, [property: Id(1)] string ActorClass);
