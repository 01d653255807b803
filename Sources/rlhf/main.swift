print("rlhf")
