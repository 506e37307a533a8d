package io.mtpbridge.sim.app;

import io.mtpbridge.device.MtpdOptions;
import io.mtpbridge.usb.function.UsbSpeed;
import java.net.InetSocketAddress;

/**
 * Everything device-sim is told: mtpd's options (storages, identity, config file, log level; the
 * FunctionFS directory is unused) plus the simulator's own.
 *
 * @param device mtpd's options
 * @param demoStorage true when no storage was given and the demo folder is served
 * @param usbip where the USB/IP server listens
 * @param busId the bus id hosts pass to {@code usbip attach -b}
 * @param speed the simulated bus speed (bulk packet size 64, 512 or 1024)
 * @param vendorId USB idVendor
 * @param productId USB idProduct
 * @param demo run the in-JVM host walkthrough and exit
 */
public record SimOptions(MtpdOptions device, boolean demoStorage, InetSocketAddress usbip, String busId, UsbSpeed speed,
                         int vendorId, int productId, boolean demo) {
}
