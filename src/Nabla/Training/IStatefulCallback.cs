namespace Nabla.Training;

/// <summary>
/// A callback whose decisions depend on earlier epochs (a schedule's position, a plateau's
/// counters): <see cref="Trainer.CreateCheckpoint"/> saves its state and <see cref="Trainer.Resume"/>
/// loads it back, after <see cref="ITrainingCallback.OnTrainBegin"/>, so a resumed run decides as an
/// uninterrupted one would.
/// </summary>
public interface IStatefulCallback : ITrainingCallback
{
    /// <summary>A copy of the state the callback's next decisions depend on.</summary>
    CallbackState StateDict();

    /// <summary>Restores a state from <see cref="StateDict"/> of a callback built with the same settings.</summary>
    /// <exception cref="ArgumentException">A name is missing or unknown, or a value is out of range.</exception>
    void LoadStateDict(CallbackState state);
}
