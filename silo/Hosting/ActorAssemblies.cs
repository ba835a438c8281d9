using System.Reflection;
using System.Runtime.Loader;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Serialization.Configuration;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// Makes the actor classes of assemblies that the pool's process does not reference known to Orleans: loads an
/// assembly from a path (its own dependencies resolved from its <c>.deps.json</c>) and registers the type manifest
/// that Orleans' code generator put in it — its grain classes, interfaces, proxies, invokers and serializers — and
/// in the application parts it names.
/// </summary>
internal static class ActorAssemblies
{
    /// <summary>Loads the assembly at <paramref name="path"/> into the default load context.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static Assembly Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new FileNotFoundException($"Actor assembly '{fullPath}' does not exist.", fullPath);
        var resolver = new AssemblyDependencyResolver(fullPath);
        AssemblyLoadContext.Default.Resolving += (context, name) =>
            resolver.ResolveAssemblyToPath(name) is { } dependency ? context.LoadFromAssemblyPath(dependency) : null;
        return AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
    }

    /// <summary>
    /// Registers the Orleans type manifest of <paramref name="assembly"/> and of the application parts it names; one
    /// already known (e.g. found by Orleans' own discovery) is not registered twice.
    /// </summary>
    public static void Register(IServiceCollection services, Assembly assembly)
    {
        foreach (var part in WithApplicationParts(assembly))
        {
            foreach (var provider in part.GetCustomAttributes<TypeManifestProviderAttribute>())
            {
                services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IConfigureOptions<TypeManifestOptions>), provider.ProviderType));
            }
        }
    }

    private static IEnumerable<Assembly> WithApplicationParts(Assembly assembly)
    {
        yield return assembly;
        foreach (var part in assembly.GetCustomAttributes<ApplicationPartAttribute>())
        {
            Assembly? loaded;
            try
            {
                loaded = Assembly.Load(part.AssemblyName);
            }
            catch (FileNotFoundException)
            {
                loaded = null;   // named for codegen, not shipped with the assembly: nothing of it to register
            }

            if (loaded is not null && loaded != assembly) yield return loaded;
        }
    }
}
