using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Xoscar.Orleans;

/// <summary>
/// Stops an Orleans client's connection retries when a pool refused it (wrong secret, untrusted certificate): a retry
/// would be refused again, and the caller should hear why at once rather than at its connect timeout. Every other
/// failure is left to the retry filter it replaces.
/// </summary>
internal sealed class RefusalRetryFilter(IClientConnectionRetryFilter? inner) : IClientConnectionRetryFilter
{
    public Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken) =>
        Refusal(exception) is not null
            ? Task.FromResult(false)
            : inner?.ShouldRetryConnectionAttempt(exception, cancellationToken) ?? Task.FromResult(false);

    /// <summary>The refusal somewhere in the causes of <paramref name="error"/>, a failed connection; null if it was not refused.</summary>
    public static XoscarException? Refusal(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is ClusterSecretRejectedException or TlsHandshakeFailedException) return (XoscarException)error;
        }

        return null;
    }

    /// <summary>Puts this filter in front of the client's current retry filter (Orleans' default one, or the application's).</summary>
    public static void Install(IServiceCollection services)
    {
        var current = services.LastOrDefault(d => d.ServiceType == typeof(IClientConnectionRetryFilter) && !d.IsKeyedService);
        services.RemoveAll<IClientConnectionRetryFilter>();
        services.AddSingleton<IClientConnectionRetryFilter>(sp => new RefusalRetryFilter(current is null ? null : Create(sp, current)));
    }

    private static IClientConnectionRetryFilter Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        (IClientConnectionRetryFilter)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
