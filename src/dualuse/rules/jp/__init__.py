"""Japan: the FEFTA controls on semiconductor-manufacturing equipment (July 2023)."""
