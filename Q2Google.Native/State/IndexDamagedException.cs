namespace Q2Google.State;

/// <summary>
/// The index file is not what its writer left: a torn or flipped block, a footer that does not add up. The
/// journal sets the damaged index aside and rebuilds what it can (see <see cref="Journal"/>); never fatal.
/// </summary>
internal sealed class IndexDamagedException(string message) : Exception(message);
