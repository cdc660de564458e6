package dev.agenthub.agent.routing;

class LocalNodeBusTests extends NodeBusContractTests {

	@Override
	NodeBus newBus() {
		return new LocalNodeBus();
	}

	@Override
	boolean shared() {
		return false;
	}

}
