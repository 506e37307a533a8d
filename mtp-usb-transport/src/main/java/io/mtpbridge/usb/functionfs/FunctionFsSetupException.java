package io.mtpbridge.usb.functionfs;

import java.io.IOException;

/**
 * The FunctionFS directory cannot be used; the message names the problem and what to do about
 * it, in words meant for the person starting the daemon.
 */
public class FunctionFsSetupException extends IOException {
  public FunctionFsSetupException(String message) { super(message); }

  public FunctionFsSetupException(String message, Throwable cause) { super(message, cause); }
}
