using System.Runtime.CompilerServices;

// ILGPU's CPU accelerator emits the kernels into a dynamic assembly named "ILGPURuntime"; it must see the internal
// kernel argument types (FcInstruction, TileGeometry) that the device code reads.
[assembly: InternalsVisibleTo("ILGPURuntime")]
