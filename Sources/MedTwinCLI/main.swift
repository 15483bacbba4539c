print("medtwin")
